import { TaktError } from '../errors';
import type { StateStore } from '../state';
import { pullChanges } from '../sync';
import { describeEachStore } from '../sync/pull/__fixtures__/stores';
import { orderSource, pullOptions, putOrder, storedCursor, tokenOf } from '../sync/pull/__fixtures__/pull-harness';
import { FakeClock } from '../time';
import { signStandardWebhook } from '../webhook';
import { decodeAckToken, encodeAckToken } from './ack-token';
import { acknowledge } from './acknowledge';
import { beginReplay } from './dead-letters';
import { receiveWebhook } from './webhook-receive';

const SECRET = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
const SCOPE = 'webhook:mes';
const MINUTE = 60_000;

async function receive(store: StateStore, clock: FakeClock, id: string, extra: { maxAttempts?: number } = {}) {
  const body = JSON.stringify({ id, yield: 7 });
  const ts = Math.floor(clock.now() / 1000);
  const receipt = await receiveWebhook({
    store,
    scope: SCOPE,
    verification: { kind: 'standard', secret: SECRET },
    headers: {
      'webhook-id': id,
      'webhook-timestamp': String(ts),
      'webhook-signature': signStandardWebhook(SECRET, id, ts, body),
    },
    rawBody: body,
    claimTtlMs: 5 * MINUTE,
    clock,
    ...extra,
  });
  return receipt;
}

async function failure(promise: Promise<unknown>): Promise<TaktError> {
  try {
    await promise;
  } catch (error) {
    if (TaktError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describeEachStore('acknowledge', (open) => {
  it('event ACK in a later step marks the id done: a copy of the event answers duplicate', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const { store, connect } = await open(clock);
    const received = await receive(store, clock, 'evt-1');
    // Another process sharing the store settles it by the token alone.
    const other = await connect();
    expect(await acknowledge(other, received.event?.meta.token, { outcome: 'ack', clock })).toEqual({
      status: 'acked',
      kind: 'event',
      message: 'Event "evt-1" is processed.',
      eventId: 'evt-1',
      attempt: 1,
    });
    expect((await receive(store, clock, 'evt-1')).reply.body).toEqual({ status: 'duplicate', id: 'evt-1' });
    // A second ACK of the same token changes nothing and says so.
    expect(await acknowledge(store, received.event?.meta.token, { outcome: 'ack', clock })).toMatchObject({
      status: 'already_acked',
      kind: 'event',
    });
  });

  it('event NACK: retryable with attempts left releases it (attempt 2 next), the last attempt dead-letters it', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const { store } = await open(clock);
    const first = await receive(store, clock, 'evt-2', { maxAttempts: 2 });
    const released = await acknowledge(store, first.event?.meta.token, {
      outcome: 'nack',
      message: 'MES busy',
      retryable: true,
      clock,
    });
    expect(released).toMatchObject({ status: 'released', kind: 'event', attempt: 1 });
    const second = await receive(store, clock, 'evt-2', { maxAttempts: 2 });
    expect(second.event).toMatchObject({ attempt: 2, lastError: { code: 'EVENT_NACKED', message: 'MES busy' } });
    const dead = await acknowledge(store, second.event?.meta.token, {
      outcome: 'nack',
      message: 'MES still busy',
      retryable: true,
      payload: { id: 'evt-2', yield: 7 },
      clock,
    });
    expect(dead).toMatchObject({ status: 'dead_lettered', attempt: 2 });
    const [letter] = await store.listDeadLetters({ scope: SCOPE, status: 'open' });
    expect(letter).toMatchObject({
      key: 'evt-2',
      attempts: 2,
      payload: { id: 'evt-2', yield: 7 },
      error: { code: 'EVENT_NACKED', message: 'MES still busy', retryable: true },
    });
    expect((await receive(store, clock, 'evt-2')).reply.body).toEqual({ status: 'duplicate', id: 'evt-2' });
  });

  it('event NACK without retryable dead-letters at once; an expired claim taken by a copy refuses a late ACK', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const { store } = await open(clock);
    const nacked = await receive(store, clock, 'evt-3');
    expect(await acknowledge(store, nacked.event?.meta.token, { outcome: 'nack', clock })).toMatchObject({
      status: 'dead_lettered',
    });

    const slow = await receive(store, clock, 'evt-4');
    await clock.advance(6 * MINUTE);
    const copy = await receive(store, clock, 'evt-4');
    expect(copy.event?.attempt).toBe(1);
    const late = await failure(acknowledge(store, slow.event?.meta.token, { outcome: 'ack', clock }));
    expect(late.code).toBe('CLAIM_NOT_OWNED');
    expect(late.message).toContain('another worker is processing it now');
    // The copy's own ACK still works.
    expect(await acknowledge(store, copy.event?.meta.token, { outcome: 'ack', clock })).toMatchObject({
      status: 'acked',
    });

    // Late, but nobody took the event meanwhile: no copy started, so the ACK takes the claim back and counts.
    const lateAlone = await receive(store, clock, 'evt-7');
    await clock.advance(6 * MINUTE);
    expect(await acknowledge(store, lateAlone.event?.meta.token, { outcome: 'ack', clock })).toMatchObject({
      status: 'acked',
      eventId: 'evt-7',
    });
    expect((await receive(store, clock, 'evt-7')).reply.body).toEqual({ status: 'duplicate', id: 'evt-7' });
  });

  it('pull ACK commits the cursor once; NACK leaves it pending for a redelivery after expiry', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const { store } = await open(clock);
    const source = orderSource();
    putOrder(source, clock, 'o1', 1, -10 * MINUTE);
    putOrder(source, clock, 'o2', 2, -9 * MINUTE);
    const options = pullOptions(store, source, clock, { deliveryTtlMs: 10 * MINUTE });
    const token = tokenOf(await pullChanges(options));

    const nack = await acknowledge(store, token, { outcome: 'nack', message: 'target down', clock });
    expect(nack).toMatchObject({
      status: 'redeliver_after_expiry',
      kind: 'pull',
      stream: 'pull/erp/orders',
      records: 2,
      redeliverAt: clock.now() + 10 * MINUTE,
    });
    expect((await storedCursor(store)).version).toBe(0);

    await clock.advance(10 * MINUTE + 1);
    const again = await pullChanges(options);
    const retoken = tokenOf(again);
    expect(retoken).not.toBe(token);
    expect(await acknowledge(store, retoken, { outcome: 'ack', clock })).toMatchObject({
      status: 'acked',
      kind: 'pull',
      records: 2,
      cursorVersion: 1,
    });
    expect(await acknowledge(store, retoken, { outcome: 'ack', clock })).toMatchObject({ status: 'already_acked' });
    expect(await acknowledge(store, retoken, { outcome: 'nack', clock })).toMatchObject({ status: 'already_acked' });
    expect((await failure(acknowledge(store, 'no-such-token', { outcome: 'ack' }))).code).toBe('DELIVERY_UNKNOWN');
    expect((await failure(acknowledge(store, 'no-such-token', { outcome: 'nack' }))).code).toBe('DELIVERY_UNKNOWN');
  });

  it('replay: ACK resolves the dead letter, NACK leaves it open for the next replay', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const { store } = await open(clock);
    for (const id of ['evt-5', 'evt-6']) {
      const received = await receive(store, clock, id);
      await acknowledge(store, received.event?.meta.token, { outcome: 'nack', payload: { id }, clock });
    }
    const replay = await beginReplay(store, { scope: SCOPE, limit: 10, owner: 'replay-a' });
    expect(replay.items.map((item) => [item.payload, item.meta.deliveryKind, item.meta.eventId])).toEqual([
      [{ id: 'evt-5' }, 'replay', 'evt-5'],
      [{ id: 'evt-6' }, 'replay', 'evt-6'],
    ]);
    // A concurrent replay gets neither while they are held.
    expect(await beginReplay(store, { scope: SCOPE, limit: 10, owner: 'replay-b' })).toMatchObject({
      items: [],
      skipped: replay.items.map((item) => item.meta.deadLetterId),
    });
    const [five, six] = replay.items;
    expect(await acknowledge(store, five?.meta.token, { outcome: 'ack' })).toMatchObject({
      status: 'resolved',
      kind: 'replay',
      eventId: 'evt-5',
    });
    expect(await acknowledge(store, five?.meta.token, { outcome: 'ack' })).toMatchObject({ status: 'already_acked' });
    expect(await acknowledge(store, six?.meta.token, { outcome: 'nack' })).toMatchObject({ status: 'left_open' });
    const open2 = await store.listDeadLetters({ scope: SCOPE, status: 'open' });
    expect(open2.map((letter) => letter.key)).toEqual(['evt-6']);
    const next = await beginReplay(store, { scope: SCOPE, limit: 10, owner: 'replay-b' });
    expect(next.items.map((item) => item.meta.eventId)).toEqual(['evt-6']);
  });
});

describe('acknowledge: input errors', () => {
  it('names the fix for a bad outcome or a missing token', async () => {
    const store = {} as StateStore;
    const bad = await failure(acknowledge(store, 't', { outcome: 'maybe' as 'ack' }));
    expect(bad.message).toBe('The acknowledgement outcome is "ack" or "nack", not "maybe".');
    expect((await failure(acknowledge(store, undefined, { outcome: 'ack' }))).code).toBe('CONFIG_INVALID');
  });

  it('tokens of each kind decode to the right dispatch', () => {
    const token = encodeAckToken({ kind: 'replay', scope: 's', deadLetterId: 1, eventId: 'e', owner: 'o' });
    expect(decodeAckToken(token).kind).toBe('replay');
  });
});
