import { createHmac } from 'node:crypto';
import { TaktError } from '../errors';
import { MemoryStateStore } from '../state/memory/memory-state-store';
import type { StateStore } from '../state';
import { FakeClock } from '../time';
import { signStandardWebhook } from '../webhook';
import { decodeAckToken } from './ack-token';
import { acknowledge } from './acknowledge';
import { receiveWebhook, type ReceiveWebhookOptions } from './webhook-receive';

const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const BODY = '{"type":"confirmation.created","data":{"order":"1000123","yield":40}}';

function signed(clock: FakeClock, id = 'msg_1', body = BODY): Record<string, string> {
  const ts = Math.floor(clock.now() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(ts),
    'webhook-signature': signStandardWebhook(SECRET, id, ts, body),
  };
}

function standard(
  store: StateStore,
  clock: FakeClock,
  extra: Partial<ReceiveWebhookOptions> = {},
): ReceiveWebhookOptions {
  return {
    store,
    scope: 'webhook:mes',
    verification: { kind: 'standard', secret: SECRET },
    headers: signed(clock),
    rawBody: BODY,
    clock,
    ...extra,
  };
}

describe('receiveWebhook', () => {
  it('accepts a signed event: 200 accepted, the parsed payload and an event token for Acknowledge', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const store = new MemoryStateStore(clock);
    const receipt = await receiveWebhook(standard(store, clock, { owner: 'webhook-a', retentionMs: 3_600_000 }));
    expect(receipt.reply).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: { status: 'accepted', id: 'msg_1' },
    });
    expect(receipt.event).toMatchObject({
      id: 'msg_1',
      attempt: 1,
      payload: { type: 'confirmation.created', data: { order: '1000123', yield: 40 } },
      meta: { deliveryKind: 'event', eventId: 'msg_1' },
    });
    expect(decodeAckToken(receipt.event?.meta.token)).toEqual({
      kind: 'event',
      scope: 'webhook:mes',
      id: 'msg_1',
      owner: 'webhook-a',
      attempt: 1,
      maxAttempts: 5,
      retentionMs: 3_600_000,
    });
  });

  it('a sender that retries gets a released event again; one answered before the flow gets a dead letter at once', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const store = new MemoryStateStore(clock);
    const nack = { outcome: 'nack', retryable: true, message: 'SAP did not answer', clock } as const;

    const waited = await receiveWebhook(standard(store, clock, { headers: signed(clock, 'msg_r1') }));
    expect(decodeAckToken(waited.event?.meta.token)).toMatchObject({ attempt: 1, maxAttempts: 5 });
    expect(await acknowledge(store, waited.event?.meta.token, nack)).toMatchObject({ status: 'released', attempt: 1 });
    const again = await receiveWebhook(standard(store, clock, { headers: signed(clock, 'msg_r1') }));
    expect(again.event).toMatchObject({ id: 'msg_r1', attempt: 2 });

    const answered = await receiveWebhook(
      standard(store, clock, { headers: signed(clock, 'msg_r2'), senderRetries: false, maxAttempts: 5 }),
    );
    expect(decodeAckToken(answered.event?.meta.token)).toMatchObject({ attempt: 1, maxAttempts: 1 });
    expect(await acknowledge(store, answered.event?.meta.token, nack)).toMatchObject({
      status: 'dead_lettered',
      eventId: 'msg_r2',
    });
    const letters = await store.listDeadLetters({ scope: 'webhook:mes' });
    expect(letters.map((letter) => [letter.key, letter.error.message, letter.attempts])).toEqual([
      ['msg_r2', 'SAP did not answer', 1],
    ]);
  });

  it('answers a copy while the first is unsettled with 409 + Retry-After until its claim ends', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const store = new MemoryStateStore(clock);
    await receiveWebhook(standard(store, clock, { claimTtlMs: 120_000 }));
    await clock.advance(30_000);
    const copy = await receiveWebhook(standard(store, clock, { headers: signed(clock) }));
    expect(copy.event).toBeUndefined();
    expect(copy.reply.status).toBe(409);
    expect(copy.reply.headers['retry-after']).toBe('90');
    expect(copy.reply.body).toEqual({ status: 'in_progress', id: 'msg_1' });
  });

  it('answers a settled id as a duplicate, with no event', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const store = new MemoryStateStore(clock);
    const first = await receiveWebhook(standard(store, clock, { owner: 'w1' }));
    await store.completeClaim('webhook:mes', 'msg_1', 'w1', 60_000);
    const copy = await receiveWebhook(standard(store, clock));
    expect(first.event?.id).toBe('msg_1');
    expect(copy).toEqual({
      reply: {
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: { status: 'duplicate', id: 'msg_1' },
      },
    });
  });

  it('refuses a bad signature with 401 and an empty body, before parsing or storing anything', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const store = new MemoryStateStore(clock);
    const claim = jest.spyOn(store, 'claim');
    const headers = { ...signed(clock), 'webhook-signature': signStandardWebhook(SECRET, 'msg_1', 1, BODY) };
    const receipt = await receiveWebhook(standard(store, clock, { headers, rawBody: 'not json at all' }));
    expect(receipt).toEqual({ reply: { status: 401, headers: {}, body: undefined } });
    expect(claim).not.toHaveBeenCalled();
  });

  it('refuses missing Standard Webhooks headers (400), an oversized body (413) and a body that is not JSON (400)', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const store = new MemoryStateStore(clock);
    const missing = await receiveWebhook(standard(store, clock, { headers: { 'webhook-id': 'x' } }));
    expect(missing.reply.status).toBe(400);
    expect(missing.reply.body?.error).toBe(
      'The webhook is missing webhook-timestamp, webhook-signature; it is not a Standard Webhooks delivery.',
    );
    const big = await receiveWebhook(standard(store, clock, { maxBytes: 10 }));
    expect(big.reply.status).toBe(413);
    const text = 'plain text';
    const notJson = await receiveWebhook(
      standard(store, clock, { headers: signed(clock, 'msg_2', text), rawBody: text }),
    );
    expect(notJson.reply).toMatchObject({ status: 400, body: { error: 'The webhook body is not JSON.' } });
  });

  it('answers 503 with Retry-After when the store does not answer (fail closed)', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const store = new MemoryStateStore(clock);
    jest.spyOn(store, 'claim').mockRejectedValue(new Error('connection refused'));
    const receipt = await receiveWebhook(standard(store, clock));
    expect(receipt.event).toBeUndefined();
    expect(receipt.reply.status).toBe(503);
    expect(receipt.reply.headers['retry-after']).toBe('5');
  });

  it('shared secret: the event id comes from a header or a body field, else the body hash', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const store = new MemoryStateStore(clock);
    const hmac = createHmac('sha256', 'mes-hook-secret').update(BODY).digest('hex');
    const base = {
      store,
      scope: 'hooks',
      verification: {
        kind: 'shared-secret' as const,
        header: 'X-Signature',
        secret: 'mes-hook-secret',
        mode: 'hmac-sha256' as const,
        prefix: 'sha256=',
      },
      rawBody: BODY,
      clock,
    };
    const byHeader = await receiveWebhook({
      ...base,
      headers: { 'x-signature': `sha256=${hmac}`, 'x-event-id': 'E-1' },
      eventId: { from: 'header', name: 'X-Event-Id' },
    });
    expect(byHeader.event?.id).toBe('E-1');
    const byField = await receiveWebhook({
      ...base,
      headers: { 'x-signature': `sha256=${hmac}` },
      eventId: { from: 'body', path: 'data.order' },
    });
    expect(byField.event?.id).toBe('1000123');
    const byHash = await receiveWebhook({ ...base, headers: { 'x-signature': `sha256=${hmac}` } });
    expect(byHash.event?.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    const wrong = await receiveWebhook({ ...base, headers: { 'x-signature': 'sha256=00' } });
    expect(wrong.reply).toEqual({ status: 401, headers: {}, body: undefined });
  });

  it('refuses a secret that is not a whsec_ key as a configuration error naming the fix', async () => {
    const clock = new FakeClock();
    const store = new MemoryStateStore(clock);
    const failure = await receiveWebhook({
      ...standard(store, clock),
      verification: { kind: 'standard', secret: 'hunter2!' },
    }).catch((error: unknown) => error);
    expect(TaktError.is(failure) && failure.code).toBe('CONFIG_INVALID');
    expect(TaktError.is(failure) && failure.message).toContain('whsec_');
  });
});
