import type { RunningSimulator } from '../simulator';
import { BASIC, fetchCsrf, PO_ROOT, sapSimulator, send } from '../testing/wire';
import { request } from 'node:http';

/** Fault injection by config, by handle and by the control endpoint; the request log. */
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await sapSimulator({ size: 100 });
});
afterAll(() => sim.close());
afterEach(async () => {
  await fetch(`${sim.url}/__sim/faults`, { method: 'DELETE' });
  await fetch(`${sim.url}/__sim/requests`, { method: 'DELETE' });
});

const read = (path = '/A_ProductionOrder_2?$top=1'): Promise<Response> =>
  fetch(`${sim.url}${PO_ROOT}${path}`, { headers: { authorization: BASIC, accept: 'application/json' } });
const putFaults = (config: unknown): Promise<Response> =>
  fetch(`${sim.url}/__sim/faults`, { method: 'PUT', body: JSON.stringify(config) });

it('answers 429 with Retry-After for the next N requests, then serves again', async () => {
  const put = await putFaults({ rules: [{ action: { type: 'rate-limit', retryAfterSeconds: 2 }, count: 2 }] });
  expect(put.status).toBe(200);
  const first = await read();
  expect(first.status).toBe(429);
  expect(first.headers.get('retry-after')).toBe('2');
  expect((await read()).status).toBe(429);
  expect((await read()).status).toBe(200);
  const snapshot = (await (await fetch(`${sim.url}/__sim/faults`)).json()) as { rules: unknown[] };
  expect(snapshot.rules).toEqual([]);
});

it('answers 503 only inside its scope (service, path regex, method)', async () => {
  sim.faults.add({
    action: { type: 'unavailable', retryAfterSeconds: 5 },
    scope: { service: 'sap', path: 'ProdnOrdConf2', method: 'GET' },
  });
  expect((await read()).status).toBe(200);
  const confirmations = await fetch(
    `${sim.url}/sap/opu/odata/sap/API_PROD_ORDER_CONFIRMATION_2_SRV/ProdnOrdConf2?$top=1`,
    {
      headers: { authorization: BASIC, accept: 'application/json' },
    },
  );
  expect(confirmations.status).toBe(503);
  expect(confirmations.headers.get('retry-after')).toBe('5');
});

it('adds latency with jitter, still answering', async () => {
  sim.faults.set({ rules: [{ action: { type: 'latency', ms: 150, jitterMs: 50 }, count: 1 }] });
  const started = Date.now();
  const response = await read();
  const elapsed = Date.now() - started;
  expect(response.status).toBe(200);
  expect(elapsed).toBeGreaterThanOrEqual(145);
  const entry = sim.requests.list().at(-1)!;
  expect(entry.durationMs).toBeGreaterThanOrEqual(145);
  expect(entry.faults).toHaveLength(1);
});

it('resets the connection without an answer', async () => {
  sim.faults.add({ action: { type: 'reset' }, count: 1 });
  const error = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
    const req = request(`${sim.url}${PO_ROOT}/`, { headers: { authorization: BASIC } }, () =>
      reject(new Error('answered')),
    );
    req.on('error', resolve);
    req.end();
  });
  expect(['ECONNRESET', 'EPIPE']).toContain(error.code);
  expect(sim.requests.list().at(-1)!.status).toBe(0);
  expect((await read()).status).toBe(200);
});

it('hits with a seeded probability: the same seed gives the same pattern', async () => {
  const pattern = async (): Promise<number[]> => {
    sim.faults.set({ seed: 99, rules: [{ action: { type: 'status', status: 500 }, probability: 0.5 }] });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await read()).status);
    return statuses;
  };
  const first = await pattern();
  expect(first).toContain(500);
  expect(first).toContain(200);
  expect(await pattern()).toEqual(first);
});

it('refuses an invalid fault config with 400 and keeps the old one', async () => {
  sim.faults.add({ id: 'keep', action: { type: 'latency', ms: 0 } });
  const response = await putFaults({ rules: [{ action: { type: 'explode' } }] });
  expect(response.status).toBe(400);
  expect(((await response.json()) as { error: string }).error).toMatch(/action.type/);
  expect(sim.faults.snapshot().rules.map((r) => r.id)).toEqual(['keep']);
});

it('expires OAuth tokens through PUT /__sim/faults', async () => {
  const token = (await (
    await fetch(`${sim.url}/sap/bc/sec/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=takt-client&client_secret=takt-secret',
    })
  ).json()) as { access_token: string };
  const bearer = { authorization: `Bearer ${token.access_token}`, accept: 'application/json' };
  expect((await fetch(`${sim.url}${PO_ROOT}/A_ProductionOrder_2?$top=1`, { headers: bearer })).status).toBe(200);
  await putFaults({ sap: { expireOAuthTokens: true } });
  expect((await fetch(`${sim.url}${PO_ROOT}/A_ProductionOrder_2?$top=1`, { headers: bearer })).status).toBe(401);
});

it('logs method, path, query, safe headers, status, duration and service; never secrets', async () => {
  const session = await fetchCsrf(sim);
  await send(`${sim.url}${PO_ROOT}/A_ProductionOrder_2?sap-client=100`, 'POST', session, { Material: 'x' });
  const body = (await (await fetch(`${sim.url}/__sim/requests?method=POST`)).json()) as {
    entries: {
      method: string;
      path: string;
      query: Record<string, string>;
      headers: Record<string, string>;
      status: number;
      service: string;
      durationMs: number;
    }[];
  };
  expect(body.entries).toHaveLength(1);
  const entry = body.entries[0]!;
  expect(entry).toMatchObject({
    method: 'POST',
    path: `${PO_ROOT}/A_ProductionOrder_2`,
    query: { 'sap-client': '100' },
    status: 400,
    service: 'sap',
  });
  expect(entry.headers.authorization).toBe('Basic <redacted>');
  expect(entry.headers['x-csrf-token']).toBe('<token>');
  expect(entry.headers.cookie).toBe('SAP_SESSIONID_TKT_100, sap-usercontext');
  const serialized = JSON.stringify(entry);
  expect(serialized).not.toContain(session.token);
  expect(serialized).not.toContain(BASIC.split(' ')[1]!);
  expect(entry.durationMs).toBeGreaterThanOrEqual(0);
  const fetchEntry = sim.requests.list({ method: 'GET' }).at(-1)!;
  expect(fetchEntry.headers['x-csrf-token']).toBe('Fetch');
});

it('keeps the log bounded', async () => {
  const small = await sapSimulator({ size: 10, requestLogSize: 5 });
  try {
    for (let i = 0; i < 8; i++) await fetch(`${small.url}${PO_ROOT}/`, { headers: { authorization: BASIC } });
    expect(small.requests.size).toBe(5);
    expect(small.requests.droppedCount).toBe(3);
  } finally {
    await small.close();
  }
});

it('reports health and never faults the control endpoints', async () => {
  sim.faults.add({ action: { type: 'unavailable' } });
  const health = await fetch(`${sim.url}/__sim/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ status: 'ok', services: ['sap'] });
});

it('applies faults given at start', async () => {
  const faulty = await sapSimulator({ size: 10, faults: { rules: [{ action: { type: 'rate-limit' }, count: 1 }] } });
  try {
    const response = await fetch(`${faulty.url}${PO_ROOT}/`, { headers: { authorization: BASIC } });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
  } finally {
    await faulty.close();
  }
});
