import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TaktError } from '../errors';
import { HttpConnection } from './http-connection';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

/** A loopback server that records when each request arrived and answers through a per-test handler. */
async function startServer(handler: Handler): Promise<{ url: string; arrivals: number[]; close(): Promise<void> }> {
  const arrivals: number[] = [];
  const server: Server = createServer((req, res) => {
    arrivals.push(Date.now());
    req.resume();
    req.on('end', () => handler(req, res, arrivals.length));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

let seq = 0;
const connectionId = (): string => `test-connection-${process.pid}-${(seq += 1)}`;

describe('HttpConnection (real clock, loopback server)', () => {
  const open: HttpConnection[] = [];
  const servers: { close(): Promise<void> }[] = [];
  const connect = (
    url: string,
    extra: Partial<ConstructorParameters<typeof HttpConnection>[0]> = {},
  ): HttpConnection => {
    const c = new HttpConnection({
      id: connectionId(),
      baseUrl: url,
      retry: { baseDelayMs: 50, maxDelayMs: 30_000 },
      ...extra,
    });
    open.push(c);
    return c;
  };
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
    for (const s of servers.splice(0)) await s.close();
  });

  it('waits out Retry-After: 1 before the next attempt (never earlier), then succeeds', async () => {
    const server = await startServer((_req, res, n) =>
      n === 1 ? json(res, 429, { error: 'slow down' }, { 'retry-after': '1' }) : json(res, 200, { ok: n }),
    );
    servers.push(server);
    const retries: number[] = [];
    const response = await connect(server.url).send(
      { path: '/orders' },
      { onRetry: (info) => retries.push(info.delayMs) },
    );
    expect(response.body).toEqual({ ok: 2 });
    expect(server.arrivals).toHaveLength(2);
    const gap = server.arrivals[1]! - server.arrivals[0]!;
    expect(gap).toBeGreaterThanOrEqual(1_000);
    expect(gap).toBeLessThan(3_000);
    expect(retries).toHaveLength(1);
  });

  it("pauses every caller of the connection on one caller's Retry-After", async () => {
    let limited = false;
    const server = await startServer((req, res) => {
      if (req.url === '/limited' && !limited) {
        limited = true;
        json(res, 429, {}, { 'retry-after': '1' });
      } else json(res, 200, { path: req.url });
    });
    servers.push(server);
    const id = connectionId();
    const first = connect(server.url, { id });
    const second = connect(server.url, { id });
    const limitedCall = first.send({ path: '/limited' });
    await new Promise((resolve) => setTimeout(resolve, 200)); // the 429 has arrived and paused the connection
    const started = Date.now();
    await second.send({ path: '/other' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    await limitedCall;
    const otherArrival = server.arrivals[server.arrivals.length - 1]!;
    expect(otherArrival - server.arrivals[0]!).toBeGreaterThanOrEqual(1_000);
  });

  it('defers instead of retrying early when Retry-After exceeds the cap', async () => {
    const server = await startServer((_req, res) => json(res, 503, {}, { 'retry-after': '120' }));
    servers.push(server);
    const started = Date.now();
    const error = await connect(server.url)
      .send({ path: '/x' })
      .catch((e: unknown) => e);
    expect(TaktError.is(error) && error.code).toBe('RETRY_DEFERRED');
    const retryAt = (error as TaktError).retryAt!.getTime();
    expect(retryAt - started).toBeGreaterThanOrEqual(119_000);
    expect(server.arrivals).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('does not repeat a POST whose response was lost, unless it is declared idempotent', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/lost') res.socket?.destroy();
      else json(res, 200, {});
    });
    servers.push(server);
    const conn = connect(server.url);
    const error = await conn.send({ method: 'POST', path: '/lost', body: { a: 1 } }).catch((e: unknown) => e);
    expect(TaktError.is(error) && error.code).toBe('CONNECTION_RESET');
    expect(server.arrivals).toHaveLength(1);

    const again = await conn
      .send({ method: 'POST', path: '/lost', body: { a: 1 } }, { idempotent: true })
      .catch((e: unknown) => e);
    expect(TaktError.is(again) && again.code).toBe('CONNECTION_RESET');
    expect(server.arrivals.length).toBeGreaterThan(2); // retried up to the policy's attempts
  });

  it('fails a 422 once, with the server body in the details', async () => {
    const server = await startServer((_req, res) =>
      json(res, 422, { error: { message: 'quantity must be positive' } }),
    );
    servers.push(server);
    const error = await connect(server.url)
      .send({ method: 'PUT', path: '/orders/1', body: {} })
      .catch((e: unknown) => e);
    expect(TaktError.is(error) && error.code).toBe('HTTP_UNPROCESSABLE');
    expect(JSON.stringify((error as TaktError).details)).toContain('quantity must be positive');
    expect(server.arrivals).toHaveLength(1);
  });

  it('keeps to the shared rate limit across callers', async () => {
    const server = await startServer((_req, res) => json(res, 200, {}));
    servers.push(server);
    const id = connectionId();
    const a = connect(server.url, { id, rateLimit: { limit: 4, periodMs: 400 } });
    const b = connect(server.url, { id, rateLimit: { limit: 4, periodMs: 400 } });
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).send({ path: `/r${i}` })));
    expect(server.arrivals).toHaveLength(12);
    // Arrival times carry loopback jitter on top of the client's grant times: allow 25 ms of it.
    for (const start of server.arrivals) {
      const inWindow = server.arrivals.filter((t) => t >= start && t < start + 375).length;
      expect(inWindow).toBeLessThanOrEqual(4);
    }
  });
});
