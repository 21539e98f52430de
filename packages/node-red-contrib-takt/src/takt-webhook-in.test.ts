import { createHmac } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { join } from 'node:path';

import { acknowledge, resourcePool, signStandardWebhook, SqliteStateStore } from '@takt/runtime';

import type { TaktStoreNode } from './shared/config-node';
import type { NodeMessage } from './shared/node-red';
import { callsSoFar, messages, node, redTestContext, statusWhere } from './testing/red';
import taktStore from './takt-store';
import taktWebhookIn from './takt-webhook-in';

type Row = Record<string, unknown>;

const SECRET = `whsec_${Buffer.from('takt-node-red-test-signing-key-32b').toString('base64')}`;

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly headers: Headers;
}

describe('takt-webhook-in', () => {
  const ctx = redTestContext({ taktWebhookMaxBytes: 2048 });
  const pool = resourcePool();
  const idleBefore = pool.idleMs;
  let server: Server | undefined;
  let base = '';
  let run = 0;

  beforeAll(() => {
    pool.idleMs = 0;
  });
  afterEach(async () => {
    await ctx.unload();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });
  afterAll(() => {
    pool.idleMs = idleBefore;
    ctx.dispose();
  });

  /** store-conf → w1 (takt-webhook-in) → out; Node-RED's HTTP node app served on a free port. */
  async function load(config: Row, secret = SECRET): Promise<void> {
    run += 1;
    await ctx.load(
      [taktStore, taktWebhookIn],
      [
        { id: 'store-conf', type: 'takt-store', storeType: 'sqlite', file: `webhook-${run}.sqlite` },
        { id: 'w1', type: 'takt-webhook-in', path: '/takt/events', store: 'store-conf', wires: [['out']], ...config },
        { id: 'out', type: 'helper' },
      ],
      { w1: { secret } },
    );
    server = createServer(ctx.red().httpNode as unknown as RequestListener);
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async function post(body: string, headers: Record<string, string>, path = '/takt/events'): Promise<Answer> {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    return { status: response.status, text: await response.text(), headers: response.headers };
  }

  function signed(id: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
    return {
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signStandardWebhook(SECRET, id, timestamp, body),
    };
  }

  /** No message reaches `out` within `ms`. */
  async function silence(ms = 300): Promise<void> {
    await expect(messages('out', 1, ms)).rejects.toThrow(/0 of 1 messages/);
  }

  it('accepts a signed event once, emits it with an ack token, and answers a retry as duplicate', async () => {
    await load({ verification: 'standard' });
    const body = JSON.stringify({ type: 'order.released', order: '1000042' });
    const received = messages('out');
    const first = await post(body, signed('evt-1', body));
    expect(first.status).toBe(200);
    expect(JSON.parse(first.text)).toEqual({ status: 'accepted', id: 'evt-1' });
    const [msg] = await received;
    expect(msg?.payload).toEqual({ type: 'order.released', order: '1000042' });
    expect(msg?._takt).toMatchObject({ deliveryKind: 'event', eventId: 'evt-1' });
    expect(msg?.topic).toBe('webhook:/takt/events');
    expect(msg?.webhook).toEqual({ id: 'evt-1', attempt: 1 });

    // Not acknowledged yet: the sender's retry is told to come back later.
    const busy = await post(body, signed('evt-1', body));
    expect(busy.status).toBe(409);
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThan(0);

    const store = await node<TaktStoreNode>('store-conf').store();
    expect((await acknowledge(store, (msg as NodeMessage)._takt?.token, { outcome: 'ack' })).status).toBe('acked');
    const again = await post(body, signed('evt-1', body));
    expect(again.status).toBe(200);
    expect(JSON.parse(again.text)).toEqual({ status: 'duplicate', id: 'evt-1' });
    await silence();
  });

  it('answers a bad signature with 401 and no body, emitting and storing nothing', async () => {
    await load({ verification: 'standard' });
    const body = JSON.stringify({ type: 'order.released' });
    const forged = {
      ...signed('evt-2', body),
      'webhook-signature': signed('evt-2', '{"other":1}')['webhook-signature'] ?? '',
    };
    const rejected = statusWhere('w1', (s) => s.text === 'takt-webhook-in.status.rejected');
    const answer = await post(body, forged);
    expect(answer.status).toBe(401);
    expect(answer.text).toBe('');
    expect(await rejected).toMatchObject({ fill: 'red', shape: 'ring' });
    await silence();
    // The id was never claimed: the genuine event is still accepted.
    const genuine = await post(body, signed('evt-2', body));
    expect(JSON.parse(genuine.text)).toMatchObject({ status: 'accepted' });
  });

  it('refuses a stale timestamp and a body over taktWebhookMaxBytes', async () => {
    await load({ verification: 'standard' });
    const body = JSON.stringify({ type: 'x' });
    const stale = await post(body, signed('evt-3', body, Math.floor(Date.now() / 1000) - 3600));
    expect(stale.status).toBe(401);
    const big = JSON.stringify({ filler: 'x'.repeat(4096) });
    const tooBig = await post(big, signed('evt-4', big));
    expect(tooBig.status).toBe(413);
    await silence();
  });

  it('verifies a shared-secret HMAC and takes the event id from a body field', async () => {
    await load(
      {
        verification: 'shared-secret',
        header: 'X-Signature',
        mode: 'hmac-sha256',
        prefix: 'sha256=',
        encoding: 'hex',
        eventIdFrom: 'body',
        eventIdPath: 'data.id',
      },
      'plain-shared-secret',
    );
    const sign = (text: string) => `sha256=${createHmac('sha256', 'plain-shared-secret').update(text).digest('hex')}`;
    const body = JSON.stringify({ data: { id: 'm-77', state: 'down' } });
    const received = messages('out');
    const answer = await post(body, { 'x-signature': sign(body) });
    expect(JSON.parse(answer.text)).toEqual({ status: 'accepted', id: 'm-77' });
    const [msg] = await received;
    expect(msg?._takt).toMatchObject({ eventId: 'm-77', deliveryKind: 'event' });
    const wrong = await post(body, { 'x-signature': sign(`${body} `) });
    expect(wrong.status).toBe(401);
  });

  it('keeps its claims in takt-state.sqlite in the userDir when no store is selected', async () => {
    await load({ verification: 'standard', store: '' });
    const body = '{"n":1}';
    expect(JSON.parse((await post(body, signed('evt-8', body))).text)).toMatchObject({ status: 'accepted' });
    const file = await SqliteStateStore.open({ file: join(ctx.userDir, 'takt-state.sqlite') });
    try {
      const claim = await file.claim('webhook:/takt/events', 'evt-8', 'someone-else', 60_000);
      expect(claim.status).not.toBe('claimed');
    } finally {
      await file.close();
    }
  });

  it('removes its route when the flow stops', async () => {
    await load({ verification: 'standard' });
    const body = '{}';
    expect((await post(body, signed('evt-5', body))).status).toBe(200);
    await ctx.unload();
    expect((await post(body, signed('evt-6', body))).status).toBe(404);
  });

  it('refuses to start without a secret, naming the field', async () => {
    await load({ verification: 'standard' }, '');
    expect(callsSoFar('w1', 'status')).toEqual([{ fill: 'red', shape: 'ring', text: 'CONFIG_INVALID' }]);
    expect(callsSoFar('w1', 'error')).toEqual(['Enter the Secret the sender signs its events with.']);
    expect((await post('{}', signed('evt-7', '{}'))).status).toBe(404);
  });
});
