import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { MockAgent } from 'undici';

import { TaktError } from '../../errors';
import type { Clock } from '../../time';
import type { WriteItem } from '../types';
import { MesRestConnector } from './mes-rest-connector';
import { mesSyncApiProfile, type MesSyncApiOptions } from './mes-sync-api-profile';

/**
 * Contract tests: the MES sync API's documented exchanges replayed by undici's MockAgent, network off. The
 * fixture holds the vendor's own examples; the rest of the answers are built in the same shape.
 */
interface Exchange {
  readonly request: { readonly method: string; readonly path: string; readonly body: Record<string, unknown> };
  readonly response: { readonly status: number; readonly body: unknown };
}
const exchanges = JSON.parse(
  readFileSync(join(__dirname, '__fixtures__', 'documented-exchanges.json'), 'utf8'),
) as Record<string, Exchange>;
const exchange = (name: string): Exchange => {
  const found = exchanges[name];
  if (!found) throw new Error(`no exchange ${name}`);
  return found;
};

const ORIGIN = 'https://mes.example.test';
const ROOT = '/functions/v1';
const API_KEY = 'ery_live_canary_5c1f0e9a7b';
const T0 = Date.UTC(2026, 0, 1, 8, 0, 0);

interface Call {
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}
interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

/** Time that jumps forward on every sleep: waits are recorded, not slept. */
class JumpClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(public time = T0) {}
  now(): number {
    return this.time;
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += Math.max(0, ms);
    return Promise.resolve();
  }
}

let connectionNumber = 0;

function setup(options: Partial<MesSyncApiOptions> = {}, retry = {}) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const clock = new JumpClock();
  const calls: Call[] = [];
  const connector = new MesRestConnector(
    mesSyncApiProfile({
      connectionId: `mes-contract-${(connectionNumber += 1)}`,
      baseUrl: `${ORIGIN}${ROOT}`,
      apiKey: API_KEY,
      http: { dispatcher: agent, clock, retry: { jitter: 'none', ...retry } },
      ...options,
    }),
  );
  const on = (method: string, path: string, answer: (body: unknown, call: number) => Reply): void => {
    let count = 0;
    agent
      .get(ORIGIN)
      .intercept({ method, path: `${ROOT}${path}` })
      .reply((request) => {
        const body: unknown = JSON.parse(String(request.body));
        calls.push({
          at: clock.now(),
          method,
          path,
          body,
          headers: Object.fromEntries(Object.entries(request.headers ?? {})) as Record<string, string>,
        });
        const reply = answer(body, (count += 1));
        return {
          statusCode: reply.status,
          data: JSON.stringify(reply.body),
          responseOptions: { headers: { 'content-type': 'application/json', ...reply.headers } },
        };
      })
      .persist();
  };
  return { connector, clock, calls, on, agent };
}

/** An MES that upserts everything it is sent, as the vendor documents the bulk answer. */
function bulkOk(key: string) {
  return (body: unknown): Reply => {
    const records = (body as Record<string, { external_id: string }[]>)[key] ?? [];
    return {
      status: 200,
      body: {
        success: true,
        data: {
          total: records.length,
          created: records.length,
          updated: 0,
          errors: 0,
          results: records.map((r) => ({ external_id: r.external_id, id: `id-${r.external_id}`, action: 'created' })),
        },
      },
    };
  };
}

const jobs = (n: number): WriteItem[] =>
  Array.from({ length: n }, (_, i) => ({
    data: { external_id: `SO-${i}`, external_source: 'SAP', job_number: `JOB-${i}` },
  }));

describe('MesRestConnector against the documented MES sync API', () => {
  test('a single job with nested parts and operations goes inline to PUT /api-jobs/sync with the bearer key', async () => {
    const { connector, calls, on } = setup();
    const documented = exchange('singleJobWithParts');
    on('PUT', '/api-jobs/sync', () => documented.response);
    const results = await connector.write('jobs', [{ data: documented.request.body }], { mode: 'upsert' });
    expect(results).toEqual([{ index: 0, action: 'created', targetId: '550e8400-e29b-41d4-a716-446655440000' }]);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.body).toEqual(documented.request.body);
    expect(calls[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    await connector.close();
  });

  test('bulk results pair with records in order; the bad record fails alone with the MES message', async () => {
    const { connector, calls, on } = setup();
    const documented = exchange('bulkJobsWithOneError');
    on('POST', '/api-jobs/bulk-sync', () => documented.response);
    const records = (documented.request.body.jobs as Record<string, unknown>[]).map((data) => ({ data }));
    const results = await connector.write('jobs', records, { mode: 'upsert' });
    expect(calls.map((c) => c.body)).toEqual([documented.request.body]);
    expect(results).toEqual([
      { index: 0, action: 'created', targetId: 'uuid-1' },
      { index: 1, action: 'updated', targetId: 'uuid-2' },
      {
        index: 2,
        action: 'error',
        error: { code: 'ERP_REJECTED', message: 'jobs SO-003 was rejected: Invalid due_date format', retryable: false },
      },
    ]);
    await connector.close();
  });

  test('a single record the MES refuses with 400 is ERP_REJECTED with the MES message, not a thrown call', async () => {
    const { connector, on } = setup();
    const documented = exchange('singleValidationError');
    on('PUT', '/api-parts/sync', () => documented.response);
    const results = await connector.write('parts', [{ data: { ...documented.request.body, external_id: 'X' } }], {
      mode: 'upsert',
    });
    expect(results).toEqual([
      {
        index: 0,
        action: 'error',
        error: {
          code: 'ERP_REJECTED',
          message: 'parts X was rejected (400): external_id is required for sync operations',
          retryable: false,
        },
      },
    ]);
  });

  test('2,500 records go in calls of at most 1000 and come back as 2,500 results in input order', async () => {
    const { connector, calls, on } = setup();
    on('POST', '/api-jobs/bulk-sync', bulkOk('jobs'));
    const results = await connector.write('jobs', jobs(2500), { mode: 'upsert' });
    expect(calls.map((c) => ((c.body as { jobs: unknown[] }).jobs ?? []).length)).toEqual([1000, 1000, 500]);
    expect(results).toHaveLength(2500);
    results.forEach((result, i) => expect(result).toEqual({ index: i, action: 'created', targetId: `id-SO-${i}` }));

    calls.length = 0;
    await connector.write('jobs', jobs(2500), { mode: 'upsert', batchSize: 5000 });
    expect(calls).toHaveLength(3);
    calls.length = 0;
    await connector.write('jobs', jobs(1000), { mode: 'upsert', batchSize: 300 });
    expect(calls.map((c) => ((c.body as { jobs: unknown[] }).jobs ?? []).length)).toEqual([300, 300, 300, 100]);
  });

  test('Remaining 0 holds the next call until Reset instead of drawing a 429', async () => {
    const { connector, calls, clock, on } = setup();
    const reset = T0 / 1000 + 20;
    on('POST', '/api-jobs/bulk-sync', (body, n) => ({
      ...bulkOk('jobs')(body),
      headers: {
        'x-ratelimit-limit': '2',
        'x-ratelimit-remaining': n === 1 ? '0' : '1',
        'x-ratelimit-reset': String(reset),
      },
    }));
    const results = await connector.write('jobs', jobs(4), { mode: 'upsert', batchSize: 2 });
    expect(results.every((r) => r.action === 'created')).toBe(true);
    expect(calls.map((c) => c.at)).toEqual([T0, reset * 1000]);
    expect(clock.sleeps).toEqual([20_000]);
  });

  test('a 429 is retried once Retry-After has passed, and the upsert is not duplicated in the results', async () => {
    const { connector, calls, on } = setup();
    on('POST', '/api-jobs/bulk-sync', (body, n) =>
      n === 1
        ? {
            status: 429,
            body: { success: false, error: { code: 'RATE_LIMIT_EXCEEDED', message: 'slow down' } },
            headers: { 'retry-after': '3' },
          }
        : bulkOk('jobs')(body),
    );
    const results = await connector.write('jobs', jobs(3), { mode: 'upsert' });
    expect(results.map((r) => r.action)).toEqual(['created', 'created', 'created']);
    expect(calls.map((c) => c.at - T0)).toEqual([0, 3_000]);
  });

  test('a pause longer than one wait may last defers the records not yet sent', async () => {
    const { connector, calls, on } = setup({}, { maxDelayMs: 10_000 });
    on('POST', '/api-jobs/bulk-sync', (body) => ({
      ...bulkOk('jobs')(body),
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '3600' },
    }));
    const results = await connector.write('jobs', jobs(6), { mode: 'upsert', batchSize: 2 });
    expect(calls).toHaveLength(1);
    expect(results.slice(0, 2).map((r) => r.action)).toEqual(['created', 'created']);
    expect(results[2]?.error).toMatchObject({ code: 'RETRY_DEFERRED', retryable: true });
    expect(results[3]?.error).toEqual(results[2]?.error);
    expect(results[5]?.error?.message).toMatch(/^Not sent after an earlier call failed: .*2026-01-01T09:00:00.000Z/);
  });

  test('records without their key fail alone, locally, without a call', async () => {
    const { connector, calls, on } = setup();
    on('PUT', '/api-cells/sync', () => ({
      status: 201,
      body: { success: true, data: { action: 'created', id: 'c1' } },
    }));
    const results = await connector.write(
      'cells',
      [
        { data: { external_id: 'WC-1', name: 'Cutting' } },
        { data: { external_id: 'WC-2', external_source: 'SAP', name: 'Bending' } },
      ],
      { mode: 'upsert' },
    );
    expect(results[0]).toMatchObject({ index: 0, action: 'error', error: { code: 'RECORD_INVALID' } });
    expect(results[1]).toEqual({ index: 1, action: 'created', targetId: 'c1' });
    expect(calls).toHaveLength(1);
  });

  test('answers that cannot be paired with the records sent are RESPONSE_INVALID, never credited to another record', async () => {
    const { connector, on } = setup();
    on('POST', '/api-cells/bulk-sync', () => ({
      status: 200,
      body: {
        success: true,
        data: {
          results: [
            { external_id: 'WC-2', id: 'x', action: 'created' },
            { external_id: 'WC-1', id: 'y', action: 'created' },
          ],
        },
      },
    }));
    const cells = ['WC-1', 'WC-2'].map((id) => ({ data: { external_id: id, external_source: 'SAP', name: id } }));
    const results = await connector.write('cells', cells, { mode: 'upsert' });
    expect(results.map((r) => r.error?.code)).toEqual(['RESPONSE_INVALID', 'RESPONSE_INVALID']);
    expect(results[0]?.error?.retryable).toBe(true);
  });

  test('a refused key fails the call before anything is written, without the key in any message', async () => {
    const { connector, on } = setup();
    on('POST', '/api-jobs/bulk-sync', () => ({
      status: 401,
      body: { success: false, error: { code: 'UNAUTHORIZED', message: `bad key ${API_KEY}` } },
    }));
    const failure = await connector.write('jobs', jobs(2), { mode: 'upsert' }).catch((e: unknown) => e);
    expect(TaktError.is(failure) && failure.code).toBe('AUTH_FAILED');
    expect(JSON.stringify(failure)).not.toContain(API_KEY);
    expect(String((failure as Error).stack)).not.toContain(API_KEY);
  });

  test('split nesting sends parents first, children with their parent key, and reports a child failure on its record', async () => {
    const { connector, calls, on } = setup({ nesting: 'split' });
    on('POST', '/api-jobs/bulk-sync', bulkOk('jobs'));
    on('POST', '/api-parts/bulk-sync', bulkOk('parts'));
    on('POST', '/api-operations/bulk-sync', (body) => {
      const ops = (body as { operations: { external_id: string; cell_name: string }[] }).operations;
      const results = ops.map((op) =>
        op.cell_name === 'Nowhere'
          ? { external_id: op.external_id, action: 'error', error: 'Cell not found for cell_name: Nowhere' }
          : { external_id: op.external_id, id: `id-${op.external_id}`, action: 'created' },
      );
      return { status: 200, body: { success: true, data: { results } } };
    });
    const job = (id: string, cell: string): WriteItem => ({
      data: {
        external_id: id,
        external_source: 'SAP',
        job_number: id,
        parts: [
          {
            external_id: `${id}-10`,
            part_number: 'P',
            operations: [{ external_id: `${id}-10-010`, operation_name: 'Cut', cell_name: cell }],
          },
        ],
      },
    });
    const results = await connector.write('jobs', [job('SO-1', 'Cutting'), job('SO-2', 'Nowhere')], { mode: 'upsert' });

    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /api-jobs/bulk-sync',
      'POST /api-parts/bulk-sync',
      'POST /api-operations/bulk-sync',
    ]);
    expect(calls[0]?.body).toEqual({
      jobs: [
        { external_id: 'SO-1', external_source: 'SAP', job_number: 'SO-1' },
        { external_id: 'SO-2', external_source: 'SAP', job_number: 'SO-2' },
      ],
    });
    expect(calls[1]?.body).toEqual({
      parts: ['SO-1', 'SO-2'].map((job) => ({
        external_id: `${job}-10`,
        external_source: 'SAP',
        job_external_id: job,
        part_number: 'P',
      })),
    });
    expect(calls[2]?.body).toEqual({
      operations: ['SO-1', 'SO-2'].map((job, i) => ({
        external_id: `${job}-10-010`,
        external_source: 'SAP',
        part_external_id: `${job}-10`,
        operation_name: 'Cut',
        cell_name: i === 0 ? 'Cutting' : 'Nowhere',
      })),
    });
    expect(results[0]).toEqual({ index: 0, action: 'created', targetId: 'id-SO-1' });
    expect(results[1]).toEqual({
      index: 1,
      action: 'error',
      targetId: 'id-SO-2',
      error: {
        code: 'ERP_REJECTED',
        message: 'parts[0]: operations[0]: operations SO-2-10-010 was rejected: Cell not found for cell_name: Nowhere',
        retryable: false,
      },
    });
  });

  test('unknown entities and deletes are refused before any call; read is not offered', async () => {
    const { connector } = setup();
    await expect(connector.write('machines', jobs(1), { mode: 'upsert' })).rejects.toMatchObject({
      code: 'ENTITY_UNKNOWN',
    });
    await expect(connector.write('jobs', jobs(1), { mode: 'delete' })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
    expect(connector.entities().map((e) => [e.name, e.capabilities.read, e.capabilities.batch])).toEqual([
      ['cells', false, true],
      ['resources', false, true],
      ['jobs', false, true],
      ['parts', false, true],
      ['operations', false, true],
    ]);
    await expect(connector.read('jobs')[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
  });
});

describe('MesRestConnector.test()', () => {
  test('an empty bulk sync proves the key without changing anything', async () => {
    const { connector, calls, on } = setup();
    on('POST', '/api-cells/bulk-sync', () => ({
      status: 200,
      body: { success: true, data: { total: 0, created: 0, updated: 0, errors: 0, results: [] } },
      headers: { 'x-ratelimit-remaining': '99' },
    }));
    const result = await connector.test();
    expect(result).toMatchObject({ ok: true, system: { kind: 'mes-rest', rateLimitRemaining: '99' } });
    expect(result.message).toMatch(/^Connected to https:\/\/mes\.example\.test\/functions\/v1 in \d+ ms/);
    expect(calls[0]?.body).toEqual({ cells: [] });
  });

  test('a refused key says where the key goes, in one attempt, without the key', async () => {
    const { connector, calls, on } = setup();
    on('POST', '/api-cells/bulk-sync', () => ({
      status: 401,
      body: { success: false, error: { code: 'UNAUTHORIZED', message: 'no' } },
    }));
    const result = await connector.test();
    expect(result.ok).toBe(false);
    expect(result.message).toContain('check the API key (sent as a bearer token)');
    expect(result.error?.code).toBe('AUTH_FAILED');
    expect(JSON.stringify(result)).not.toContain(API_KEY);
    expect(calls).toHaveLength(1);
  });
});
