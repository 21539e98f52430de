import { TaktError } from '../../errors';
import { jsonBatchIds, multipartBodies, v2BatchReply } from './__fixtures__/batch-replies';
import { connectorOn, mockSap, PASSWORD, V2_ROOT, type MockSap } from './__fixtures__/mock-sap';

const SET = `${V2_ROOT}/A_ProductionOrder_2`;
const TOKEN_1 = 'csrf-token-aaaa-1111';
const TOKEN_2 = 'csrf-token-bbbb-2222';

/** The service root answers `x-csrf-token: Fetch` with a token and two session cookies (reference A.4 step 2). */
function serveTokens(mock: MockSap, tokens: readonly string[]): void {
  let n = 0;
  mock.on('GET', `${V2_ROOT}/`, (e) => {
    const token = e.headers['x-csrf-token'] === 'Fetch' ? tokens[Math.min(n, tokens.length - 1)] : undefined;
    n += 1;
    return {
      status: 200,
      body: { d: { EntitySets: ['A_ProductionOrder_2'] } },
      headers: {
        ...(token ? { 'x-csrf-token': token } : {}),
        'set-cookie': [
          `SAP_SESSIONID_S4H_100=session-${n}-abcdefgh; path=/; HttpOnly`,
          `sap-XSRF_S4H_100=xsrf-${n}-ijklmnop; path=/`,
        ],
      },
    };
  });
}

const created = (order: string) => ({
  status: 201,
  body: { d: { __metadata: { etag: `W/"${order}"` }, ManufacturingOrder: order } },
});

describe('SapConnector.write (contract, MockAgent)', () => {
  let mock: MockSap;
  beforeEach(() => {
    mock = mockSap();
  });
  afterEach(() => mock.close());

  describe('CSRF handshake (reference A.4)', () => {
    it('fetches a token once with sap-client, then sends it and the session cookies on every write', async () => {
      serveTokens(mock, [TOKEN_1]);
      mock.on('POST', SET, (e) => created(String((JSON.parse(e.body) as { Material: string }).Material)));
      const sap = connectorOn(mock);
      const first = await sap.write('production-orders', [{ data: { Material: '1' } }], { mode: 'create' });
      const second = await sap.write('production-orders', [{ data: { Material: '2' } }], { mode: 'create' });
      await sap.close();

      expect([...first, ...second].map((r) => [r.action, r.targetId, r.etag])).toEqual([
        ['created', '1', 'W/"1"'],
        ['created', '2', 'W/"2"'],
      ]);
      const [fetch, ...posts] = mock.exchanges;
      expect(fetch).toMatchObject({ method: 'GET', headers: { 'x-csrf-token': 'Fetch' } });
      expect(fetch?.url.searchParams.get('sap-client')).toBe('100');
      expect(posts).toHaveLength(2);
      for (const post of posts) {
        expect(post.headers['x-csrf-token']).toBe(TOKEN_1);
        expect(post.headers.cookie).toBe('SAP_SESSIONID_S4H_100=session-1-abcdefgh; sap-XSRF_S4H_100=xsrf-1-ijklmnop');
        expect(post.url.searchParams.get('sap-client')).toBe('100');
        expect(post.headers['content-type']).toBe('application/json');
      }
    });

    it('on 403 with x-csrf-token: Required drops token and cookies, refetches once and replays', async () => {
      serveTokens(mock, [TOKEN_1, TOKEN_2]);
      mock.on(
        'POST',
        SET,
        { status: 403, body: 'CSRF token validation failed', headers: { 'x-csrf-token': 'Required' } },
        1,
      );
      mock.on('POST', SET, created('1000005'));
      const sap = connectorOn(mock);
      const results = await sap.write('production-orders', [{ data: { Material: 'FG1' } }], { mode: 'create' });
      await sap.close();

      expect(results).toEqual([{ index: 0, action: 'created', targetId: '1000005', etag: 'W/"1000005"' }]);
      expect(mock.exchanges.map((e) => `${e.method} ${e.headers['x-csrf-token'] ?? ''}`)).toEqual([
        'GET Fetch',
        `POST ${TOKEN_1}`,
        'GET Fetch',
        `POST ${TOKEN_2}`,
      ]);
      // The refetch went without the rejected session; the replay carries the new one only.
      expect(mock.exchanges[2]?.headers.cookie).toBeUndefined();
      expect(mock.exchanges[3]?.headers.cookie).toBe(
        'SAP_SESSIONID_S4H_100=session-2-abcdefgh; sap-XSRF_S4H_100=xsrf-2-ijklmnop',
      );
    });

    it('fails with CSRF_TOKEN_REJECTED after exactly one refetch, without leaking the token', async () => {
      serveTokens(mock, [TOKEN_1, TOKEN_2]);
      mock.on('POST', SET, {
        status: 403,
        body: 'CSRF token validation failed',
        headers: { 'x-csrf-token': 'required' },
      });
      const sap = connectorOn(mock);
      const error = await sap
        .write('production-orders', [{ data: { Material: 'FG1' } }], { mode: 'create' })
        .catch((e: unknown) => e);
      await sap.close();
      expect(TaktError.is(error) && error.code).toBe('CSRF_TOKEN_REJECTED');
      expect(mock.exchanges.filter((e) => e.method === 'GET')).toHaveLength(2);
      expect(mock.exchanges.filter((e) => e.method === 'POST')).toHaveLength(2);
      expect(JSON.stringify(error)).not.toMatch(/csrf-token-|session-\d|xsrf-\d/);
    });

    it('treats a 403 without x-csrf-token: Required as missing authorization, without a refetch', async () => {
      serveTokens(mock, [TOKEN_1]);
      mock.on('POST', SET, {
        status: 403,
        body: { error: { code: 'AUTH', message: { lang: 'en', value: 'No authorization' } } },
      });
      const sap = connectorOn(mock);
      const error = await sap
        .write('production-orders', [{ data: { Material: 'X' } }], { mode: 'create' })
        .catch((e: unknown) => e);
      await sap.close();
      expect(TaktError.is(error) && error.code).toBe('FORBIDDEN');
      expect(mock.exchanges.map((e) => e.method)).toEqual(['GET', 'POST']);
    });
  });

  describe('ETag and per-record results (reference A.8, A.10)', () => {
    it('updates with PATCH, If-Match from the item, the key in the URL and not in the body', async () => {
      serveTokens(mock, [TOKEN_1]);
      mock.on('PATCH', `${SET}('1000000')`, { status: 204, headers: { etag: 'W/"2"' } });
      const sap = connectorOn(mock);
      const results = await sap.write(
        'production-orders',
        [{ data: { ManufacturingOrder: '1000000', TotalQuantity: '40' }, etag: 'W/"1"' }],
        { mode: 'update' },
      );
      await sap.close();
      expect(results).toEqual([{ index: 0, action: 'updated', targetId: '1000000', etag: 'W/"2"' }]);
      const patch = mock.exchanges.find((e) => e.method === 'PATCH');
      expect(patch?.headers['if-match']).toBe('W/"1"');
      expect(JSON.parse(patch?.body ?? '')).toEqual({ TotalQuantity: '40' });
    });

    it('reports 412 as a conflict of that record only, with HTTP_PRECONDITION_FAILED', async () => {
      serveTokens(mock, [TOKEN_1]);
      mock.on('PATCH', `${SET}('1')`, {
        status: 412,
        body: { error: { code: '412', message: 'Precondition Failed' } },
      });
      mock.on('PATCH', `${SET}('2')`, { status: 204 });
      const sap = connectorOn(mock);
      const results = await sap.write(
        'production-orders',
        [
          { data: { ManufacturingOrder: '1', TotalQuantity: '1' }, etag: 'W/"old"' },
          { data: { ManufacturingOrder: '2', TotalQuantity: '2' }, etag: 'W/"cur"' },
        ],
        { mode: 'update' },
      );
      await sap.close();
      expect(results[0]).toMatchObject({ index: 0, action: 'conflict', error: { code: 'HTTP_PRECONDITION_FAILED' } });
      expect(results[1]).toMatchObject({ index: 1, action: 'updated', targetId: '2' });
    });

    it('answers 428 by reading the ETag and sending the update once more with If-Match', async () => {
      serveTokens(mock, [TOKEN_1]);
      mock.on('PATCH', (e) => e.headers['if-match'] === undefined, {
        status: 428,
        body: { error: { code: 'X', message: { value: 'If-Match required' } } },
      });
      mock.on('GET', `${SET}('1000000')`, {
        status: 200,
        body: { d: { __metadata: { etag: 'W/"7"' }, ManufacturingOrder: '1000000' } },
      });
      mock.on('PATCH', (e) => e.headers['if-match'] === 'W/"7"', { status: 204 });
      const sap = connectorOn(mock);
      const results = await sap.write(
        'production-orders',
        [{ data: { ManufacturingOrder: '1000000', TotalQuantity: '3' } }],
        {
          mode: 'update',
        },
      );
      await sap.close();
      expect(results).toEqual([{ index: 0, action: 'updated', targetId: '1000000' }]);
      expect(mock.exchanges.filter((e) => e.method === 'PATCH').map((e) => e.headers['if-match'] ?? 'none')).toEqual([
        'none',
        'W/"7"',
      ]);
    });

    it('gives a rejected record its SAP message and goes on with the next one', async () => {
      serveTokens(mock, [TOKEN_1]);
      mock.on('POST', (e) => e.body.includes('BAD'), {
        status: 400,
        body: {
          error: {
            code: 'CO/017',
            message: { lang: 'en', value: 'Material BAD does not exist in plant 1010' },
            innererror: {
              transactionid: 'T1',
              errordetails: [
                { code: 'CO/017', message: 'Material BAD does not exist in plant 1010', severity: 'error' },
              ],
            },
          },
        },
      });
      mock.on('POST', SET, created('1000009'));
      const sap = connectorOn(mock);
      const results = await sap.write(
        'production-orders',
        [{ data: { Material: 'BAD' } }, { data: { Material: 'FG1' } }],
        {
          mode: 'create',
        },
      );
      await sap.close();
      expect(results[0]).toMatchObject({
        index: 0,
        action: 'error',
        error: { code: 'ERP_REJECTED', retryable: false },
      });
      expect(results[0]?.error?.message).toMatch(/Material BAD does not exist in plant 1010 \[CO\/017\]/);
      expect(results[1]).toMatchObject({ index: 1, action: 'created', targetId: '1000009' });
    });

    it('upserts: creates the absent, leaves the identical alone, updates the changed with the ETag read', async () => {
      serveTokens(mock, [TOKEN_1]);
      mock.on('GET', `${SET}('1')`, {
        status: 404,
        body: { error: { code: 'N', message: { value: 'Resource not found' } } },
      });
      mock.on('GET', `${SET}('2')`, {
        status: 200,
        body: { d: { __metadata: { etag: 'W/"e2"' }, ManufacturingOrder: '2', TotalQuantity: '5.000' } },
      });
      mock.on('GET', `${SET}('3')`, {
        status: 200,
        body: { d: { __metadata: { etag: 'W/"e3"' }, ManufacturingOrder: '3', TotalQuantity: '5' } },
      });
      mock.on('POST', SET, created('1'));
      mock.on('PATCH', `${SET}('3')`, { status: 204 });
      const sap = connectorOn(mock);
      const results = await sap.write(
        'production-orders',
        [
          { data: { ManufacturingOrder: '1', TotalQuantity: '5' } },
          { data: { ManufacturingOrder: '2', TotalQuantity: '5' } },
          { data: { ManufacturingOrder: '3', TotalQuantity: '6' } },
        ],
        { mode: 'upsert' },
      );
      await sap.close();
      expect(results.map((r) => [r.index, r.action, r.targetId])).toEqual([
        [0, 'created', '1'],
        [1, 'unchanged', '2'],
        [2, 'updated', '3'],
      ]);
      expect(mock.exchanges.find((e) => e.method === 'PATCH')?.headers['if-match']).toBe('W/"e3"');
    });

    it('refuses a mode the API does not offer before sending anything', async () => {
      const sap = connectorOn(mock);
      await expect(sap.write('work-centers', [{ data: {} }], { mode: 'create' })).rejects.toMatchObject({
        code: 'CONFIG_INVALID',
      });
      await sap.close();
      expect(mock.exchanges).toHaveLength(0);
    });
  });

  describe('$batch (reference A.9)', () => {
    it('V2: one multipart POST with CSRF, cookies and sap-client; a bad record fails alone', async () => {
      serveTokens(mock, [TOKEN_1]);
      mock.on(
        'POST',
        `${V2_ROOT}/$batch`,
        v2BatchReply([
          { ok: [created('1000001')] },
          {
            failed: {
              status: 400,
              body: { error: { code: 'CO/017', message: { lang: 'en', value: 'Material BAD unknown' } } },
            },
          },
          { ok: [created('1000003')] },
        ]),
      );
      const sap = connectorOn(mock);
      const results = await sap.write(
        'production-orders',
        [{ data: { Material: 'A' } }, { data: { Material: 'BAD' } }, { data: { Material: 'C' } }],
        { mode: 'create', batchSize: 10 },
      );
      await sap.close();
      expect(results.map((r) => [r.index, r.action, r.targetId ?? r.error?.code])).toEqual([
        [0, 'created', '1000001'],
        [1, 'error', 'ERP_REJECTED'],
        [2, 'created', '1000003'],
      ]);
      const batch = mock.exchanges.find((e) => e.method === 'POST');
      expect(batch?.headers['content-type']).toMatch(/^multipart\/mixed; boundary=batch_/);
      expect(batch?.headers['x-csrf-token']).toBe(TOKEN_1);
      expect(batch?.headers.cookie).toContain('SAP_SESSIONID_S4H_100=');
      expect(batch?.url.searchParams.get('sap-client')).toBe('100');
      expect(batch?.body).not.toContain('sap-client');
      expect(multipartBodies(batch?.body ?? '')).toEqual([{ Material: 'A' }, { Material: 'BAD' }, { Material: 'C' }]);
    });

    it('V2 with changesetSize 3: a failed changeset fails every record in it, with the SAP reason', async () => {
      serveTokens(mock, [TOKEN_1]);
      mock.on(
        'POST',
        `${V2_ROOT}/$batch`,
        v2BatchReply([
          { failed: { status: 400, body: { error: { code: 'CO/017', message: { value: 'Material BAD unknown' } } } } },
        ]),
      );
      const sap = connectorOn(mock, { changesetSize: 3 });
      const results = await sap.write(
        'production-orders',
        [{ data: { Material: 'A' } }, { data: { Material: 'BAD' } }, { data: { Material: 'C' } }],
        { mode: 'create', batchSize: 10 },
      );
      await sap.close();
      // Gateway's one error part does not say which record failed: all three carry the changeset's failure.
      expect(results.map((r) => [r.action, r.error?.code])).toEqual([
        ['error', 'BATCH_CHANGESET_FAILED'],
        ['error', 'BATCH_CHANGESET_FAILED'],
        ['error', 'BATCH_CHANGESET_FAILED'],
      ]);
      expect(results.every((r) => /Material BAD unknown/.test(r.error?.message ?? ''))).toBe(true);
    });

    it('V4: one JSON batch; the invalid record is reported alone', async () => {
      const root = '/sap/opu/odata4/sap/api_production_order/srvd_a2x/sap/productionorder/0001';
      mock.on('GET', `${root}/`, { status: 200, body: { value: [] }, headers: { 'x-csrf-token': TOKEN_1 } });
      mock.on('POST', `${root}/$batch`, (e) => ({
        status: 200,
        body: {
          responses: jsonBatchIds(e.body).map((id) =>
            id === '1'
              ? { id, status: 400, body: { error: { code: 'CO/017', message: 'Material BAD unknown' } } }
              : { id, status: 201, body: { ManufacturingOrder: `10${id}`, '@odata.etag': `W/"${id}"` } },
          ),
        },
      }));
      const sap = connectorOn(mock, { odataVersion: 'v4', services: { API_PRODUCTION_ORDER_2_SRV: root } });
      const results = await sap.write(
        'production-orders',
        [{ data: { Material: 'A', TotalQuantity: '1.5' } }, { data: { Material: 'BAD' } }, { data: { Material: 'C' } }],
        { mode: 'create', batchSize: 10 },
      );
      await sap.close();
      expect(results.map((r) => [r.action, r.targetId ?? r.error?.code])).toEqual([
        ['created', '100'],
        ['error', 'ERP_REJECTED'],
        ['created', '102'],
      ]);
      const batch = mock.exchanges.find((e) => e.method === 'POST');
      const sent = JSON.parse(batch?.body ?? '{}') as { requests: { atomicityGroup?: string; body: unknown }[] };
      expect(sent.requests.map((r) => r.atomicityGroup)).toEqual([undefined, undefined, undefined]);
      expect(sent.requests[0]?.body).toEqual({ Material: 'A', TotalQuantity: '1.5' });
    });
  });

  it('never puts the password into an error, whatever the server echoes', async () => {
    const basic = Buffer.from(`TAKT_RFC:${PASSWORD}`).toString('base64');
    mock.on('GET', `${V2_ROOT}/`, { status: 401, body: `Logon failed for Basic ${basic} (${PASSWORD})` });
    const sap = connectorOn(mock);
    const error = await sap
      .write('production-orders', [{ data: { Material: 'A' } }], { mode: 'create' })
      .catch((e: unknown) => e);
    await sap.close();
    expect(TaktError.is(error) && error.code).toBe('AUTH_FAILED');
    const seen = `${String(error)} ${JSON.stringify(error)}`;
    expect(seen).not.toContain(PASSWORD);
    expect(seen).not.toContain(basic);
  });
});
