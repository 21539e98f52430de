import type { SimRequest, SimResponse } from '../service';
import { createMesService, type MesService, type MesServiceOptions } from './mes-service';

const KEY = 'ery_live_test_key_0123456789';
let nextId = 1;

function call(service: MesService, method: string, path: string, body?: unknown, auth = `Bearer ${KEY}`): SimResponse {
  const request: SimRequest = {
    method,
    url: new URL(`http://mes.test${path}`),
    headers: auth ? { authorization: auth } : {},
    body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
    id: nextId++,
  };
  const response = service.handle(request);
  if (response instanceof Promise) throw new Error('the MES answers synchronously');
  return response;
}

function mes(options: Partial<MesServiceOptions> = {}): MesService {
  return createMesService({ seed: 7, size: 0, apiKey: KEY, ...options });
}

const cell = (name: string, id = `WC-${name.toUpperCase()}`) => ({ external_id: id, external_source: 'SAP', name });

describe('MES sync API: single upsert', () => {
  test('PUT creates with 201, re-sync answers 200 updated with the same id', () => {
    const service = mes();
    const first = call(service, 'PUT', '/api-cells/sync', cell('Cutting'));
    expect(first.status).toBe(201);
    const body = first.body as { success: boolean; data: { action: string; id: string; external_id: string } };
    expect(body.success).toBe(true);
    expect(body.data).toMatchObject({ action: 'created', external_id: 'WC-CUTTING' });
    expect(body.data.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const again = call(service, 'PUT', '/api-cells/sync', cell('Cutting'));
    expect(again.status).toBe(200);
    expect(again.body).toEqual({
      success: true,
      data: { action: 'updated', id: body.data.id, external_id: 'WC-CUTTING' },
    });
    // The wire says "updated" both times (the vendor knows no "unchanged"); the effect log knows better.
    expect(service.counts('cells')).toEqual({ created: 1, updated: 0, unchanged: 1 });

    call(service, 'PUT', '/api-cells/sync', { ...cell('Cutting'), color: '#3b82f6' });
    expect(service.counts('cells')).toEqual({ created: 1, updated: 1, unchanged: 1 });
    expect(service.record('cells', 'WC-CUTTING', 'SAP')).toMatchObject({ version: 2, fields: { color: '#3b82f6' } });
  });

  test('the same external_id from another source is another record', () => {
    const service = mes();
    call(service, 'PUT', '/api-cells/sync', cell('Cutting'));
    const other = call(service, 'PUT', '/api-cells/sync', { ...cell('Cutting'), external_source: 'Dynamics' });
    expect(other.status).toBe(201);
    expect(service.records('cells')).toHaveLength(2);
  });

  test('a validation error answers 400 in the vendor shape and changes nothing', () => {
    const service = mes();
    const response = call(service, 'PUT', '/api-jobs/sync', { external_source: 'SAP', job_number: 'J' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      success: false,
      error: { code: 'VALIDATION_ERROR', message: 'external_id is required for sync operations' },
    });
    expect(service.effects()).toEqual([]);
  });

  test('a part needs its job, an operation its part and its cell', () => {
    const service = mes();
    const part = { external_id: 'SO-1-10', external_source: 'SAP', job_external_id: 'SO-1', part_number: 'P' };
    expect(call(service, 'PUT', '/api-parts/sync', part).body).toMatchObject({
      error: { code: 'VALIDATION_ERROR', message: 'Job not found for job_external_id: SO-1' },
    });
    call(service, 'PUT', '/api-jobs/sync', { external_id: 'SO-1', external_source: 'SAP', job_number: 'J1' });
    expect(call(service, 'PUT', '/api-parts/sync', part).status).toBe(201);
    const operation = {
      external_id: 'SO-1-10-010',
      external_source: 'SAP',
      part_external_id: 'SO-1-10',
      operation_name: 'Laser Cut',
      cell_name: 'Cutting',
    };
    expect(call(service, 'PUT', '/api-operations/sync', operation).body).toMatchObject({
      error: { message: 'Cell not found for cell_name: Cutting' },
    });
    call(service, 'PUT', '/api-cells/sync', cell('Cutting'));
    expect(call(service, 'PUT', '/api-operations/sync', operation).status).toBe(201);
    const job = service.record('jobs', 'SO-1', 'SAP');
    const stored = service.record('parts', 'SO-1-10', 'SAP');
    expect(stored?.parentId).toBe(job?.id);
    expect(service.record('operations', 'SO-1-10-010', 'SAP')?.parentId).toBe(stored?.id);
  });

  test('a nested job lands parent first and is refused whole when a child names a missing cell', () => {
    const service = mes();
    call(service, 'PUT', '/api-cells/sync', cell('Cutting'));
    call(service, 'PUT', '/api-cells/sync', cell('Bending'));
    const job = {
      external_id: 'SO-12345',
      external_source: 'SAP',
      job_number: 'JOB-2024-001',
      customer: 'Acme Corp',
      parts: [
        {
          external_id: 'SO-12345-10',
          part_number: 'BRACKET-A',
          material: 'Steel 304',
          quantity: 25,
          operations: [
            { external_id: 'SO-12345-10-010', operation_name: 'Laser Cut', cell_name: 'Cutting', sequence: 1 },
            { external_id: 'SO-12345-10-020', operation_name: 'Bend 90°', cell_name: 'Welding', sequence: 2 },
          ],
        },
      ],
    };
    const refused = call(service, 'PUT', '/api-jobs/sync', job);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      error: { message: 'parts[0].operations[1]: Cell not found for cell_name: Welding' },
    });
    expect(service.records('jobs')).toEqual([]);

    const fixed = {
      ...job,
      parts: [{ ...job.parts[0], operations: job.parts[0]?.operations.map((o) => ({ ...o, cell_name: 'Cutting' })) }],
    };
    expect(call(service, 'PUT', '/api-jobs/sync', fixed).status).toBe(201);
    expect(
      service
        .effects()
        .filter((e) => e.entity !== 'cells')
        .map((e) => `${e.entity}:${e.external_id}`),
    ).toEqual(['jobs:SO-12345', 'parts:SO-12345-10', 'operations:SO-12345-10-010', 'operations:SO-12345-10-020']);
    expect(service.record('operations', 'SO-12345-10-020', 'SAP')?.external_source).toBe('SAP');
  });
});

describe('MES sync API: bulk upsert', () => {
  test('one result per record in order; a bad record fails alone', () => {
    const service = mes();
    call(service, 'PUT', '/api-jobs/sync', { external_id: 'SO-002', external_source: 'SAP', job_number: 'OLD' });
    const response = call(service, 'POST', '/api-jobs/bulk-sync', {
      jobs: [
        { external_id: 'SO-001', external_source: 'SAP', job_number: 'JOB-001', customer: 'Customer A' },
        { external_id: 'SO-002', external_source: 'SAP', job_number: 'JOB-002', customer: 'Customer B' },
        { external_id: 'SO-003', external_source: 'SAP', job_number: 'JOB-003', due_date: 'tomorrow' },
      ],
    });
    expect(response.status).toBe(200);
    const data = (response.body as { data: { results: { id?: string }[] } }).data;
    expect(data).toEqual({
      total: 3,
      created: 1,
      updated: 1,
      errors: 1,
      results: [
        { external_id: 'SO-001', id: expect.any(String), action: 'created' },
        { external_id: 'SO-002', id: service.record('jobs', 'SO-002', 'SAP')?.id, action: 'updated' },
        { external_id: 'SO-003', action: 'error', error: 'Invalid due_date format' },
      ],
    });
    expect(service.counts('jobs')).toEqual({ created: 2, updated: 1, unchanged: 0 });
  });

  test('more than 1000 records are refused with 413; exactly 1000 pass', () => {
    const service = mes({ rateLimit: { limit: 100, windowSeconds: 60 } });
    const records = (n: number) => Array.from({ length: n }, (_, i) => cell(`C${i}`));
    const tooMany = call(service, 'POST', '/api-cells/bulk-sync', { cells: records(1001) });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body).toMatchObject({ success: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(service.effects()).toEqual([]);
    const full = call(service, 'POST', '/api-cells/bulk-sync', { cells: records(1000) });
    expect(full.status).toBe(200);
    expect(service.counts('cells').created).toBe(1000);
  });

  test('the body must hold the entity-named array', () => {
    const service = mes();
    const response = call(service, 'POST', '/api-parts/bulk-sync', { records: [] });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      error: { message: 'Request body must hold the records in a "parts" array' },
    });
    expect(call(service, 'POST', '/api-parts/bulk-sync', { parts: [] }).body).toEqual({
      success: true,
      data: { total: 0, created: 0, updated: 0, errors: 0, results: [] },
    });
  });
});

describe('MES sync API: auth, routing and rate limits', () => {
  test('requests without the right bearer key answer 401 and still carry the rate-limit headers', () => {
    const service = mes();
    for (const auth of ['', `Bearer ${KEY}x`, KEY]) {
      const response = call(service, 'PUT', '/api-cells/sync', cell('Cutting'), auth);
      expect(response.status).toBe(401);
      expect(response.headers).toMatchObject({ 'www-authenticate': 'Bearer', 'x-ratelimit-limit': '1000' });
    }
    expect(service.effects()).toEqual([]);
    expect(call(createMesService({ seed: 1, size: 0 }), 'PUT', '/api-cells/sync', cell('C'), '').status).toBe(201);
  });

  test('unknown paths are 404, wrong methods 405, bad JSON 400', () => {
    const service = mes();
    expect(call(service, 'PUT', '/api-machines/sync', {}).status).toBe(404);
    const wrong = call(service, 'GET', '/api-jobs/sync');
    expect(wrong.status).toBe(405);
    expect(wrong.headers).toMatchObject({ allow: 'PUT' });
    const request: SimRequest = {
      method: 'PUT',
      url: new URL('http://x/api-jobs/sync'),
      headers: { authorization: `Bearer ${KEY}` },
      body: Buffer.from('{'),
      id: 0,
    };
    expect(service.handle(request)).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR' } } });
  });

  test('headers count down within a window; past the limit 429 with Retry-After until Reset', () => {
    let now = Date.UTC(2025, 0, 1, 8, 0, 10);
    const service = mes({ rateLimit: { limit: 2, windowSeconds: 60 }, now: () => now });
    const reset = String(Date.UTC(2025, 0, 1, 8, 1, 0) / 1000);
    const first = call(service, 'PUT', '/api-cells/sync', cell('A'));
    expect(first.headers).toMatchObject({
      'x-ratelimit-limit': '2',
      'x-ratelimit-remaining': '1',
      'x-ratelimit-reset': reset,
    });
    expect(call(service, 'PUT', '/api-cells/sync', cell('B')).headers).toMatchObject({ 'x-ratelimit-remaining': '0' });
    const refused = call(service, 'PUT', '/api-cells/sync', cell('C'));
    expect(refused.status).toBe(429);
    expect(refused.headers).toMatchObject({
      'retry-after': '50',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': reset,
    });
    expect(service.records('cells')).toHaveLength(2);
    now = Date.UTC(2025, 0, 1, 8, 1, 0);
    expect(call(service, 'PUT', '/api-cells/sync', cell('C')).headers).toMatchObject({ 'x-ratelimit-remaining': '1' });
  });
});

describe('MES seeded data', () => {
  test('the same seed gives the same factory, and seeding is not counted as sync effects', () => {
    const a = createMesService({ seed: 42, size: 20 });
    const b = createMesService({ seed: 42, size: 20 });
    expect(a.records('jobs')).toHaveLength(20);
    expect(a.records('cells').map((c) => c.fields.name)).toContain('Cutting');
    expect(a.records('operations')).toEqual(b.records('operations'));
    expect(a.records('operations').length).toBeGreaterThanOrEqual(20);
    expect(a.effects()).toEqual([]);
    expect(createMesService({ seed: 43, size: 20 }).records('jobs')).not.toEqual(a.records('jobs'));
  });
});
