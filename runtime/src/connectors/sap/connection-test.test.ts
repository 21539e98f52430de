import { connectorOn, mockSap, V2_ROOT, type MockSap } from './__fixtures__/mock-sap';

describe('SapConnector.test (contract, MockAgent)', () => {
  let mock: MockSap;
  beforeEach(() => {
    mock = mockSap();
  });
  afterEach(() => mock.close());

  it('reports latency and what the system says about itself', async () => {
    mock.on('GET', `${V2_ROOT}/`, {
      status: 200,
      body: { d: { EntitySets: ['A_ProductionOrder_2', 'A_ProductionOrderItem_2'] } },
      headers: { 'sap-server': 'true', dataserviceversion: '2.0', 'x-csrf-token': 'csrf-token-test-1234' },
    });
    const sap = connectorOn(mock);
    const result = await sap.test();
    await sap.close();
    expect(result.ok).toBe(true);
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.system).toEqual({
      service: 'API_PRODUCTION_ORDER_2_SRV',
      servicePath: V2_ROOT,
      odataVersion: 'v2',
      sapServer: 'true',
      dataServiceVersion: '2.0',
      client: '100',
      language: 'EN',
      csrf: 'issued',
    });
    expect(result.message).toMatch(
      /service API_PRODUCTION_ORDER_2_SRV \(OData V2\), client 100; writes will get a CSRF token/,
    );
    expect(mock.exchanges[0]?.headers['x-csrf-token']).toBe('Fetch');
    expect(mock.exchanges[0]?.url.searchParams.get('sap-client')).toBe('100');
  });

  const failures: readonly [string, (mock: MockSap) => void, string, RegExp][] = [
    [
      '401',
      (mock) => mock.on('GET', `${V2_ROOT}/`, { status: 401, body: 'Logon failed' }),
      'AUTH_FAILED',
      /rejected the credentials \(401\).*a user exists per client/,
    ],
    [
      '403',
      (mock) => mock.on('GET', `${V2_ROOT}/`, { status: 403, body: 'Forbidden' }),
      'FORBIDDEN',
      /denied access \(403\).*S_SERVICE.*SU53/,
    ],
    [
      '404 on the service root',
      (mock) =>
        mock.on('GET', `${V2_ROOT}/`, {
          status: 404,
          body: { error: { code: '/IWFND/MED/170', message: { lang: 'en', value: 'No service found for namespace' } } },
        }),
      'SERVICE_NOT_FOUND',
      /no service at \/sap\/opu\/odata\/sap\/API_PRODUCTION_ORDER_2_SRV \(404\).*\/IWFND\/MAINT_SERVICE/,
    ],
    [
      'a DNS failure',
      (mock) =>
        mock.agent
          .get('https://s4.example.com:44300')
          .intercept({ path: () => true, method: 'GET' })
          .replyWithError(Object.assign(new Error('getaddrinfo ENOTFOUND s4.example.com'), { code: 'ENOTFOUND' })),
      'DNS_NOT_FOUND',
      /host name in baseUrl does not resolve/,
    ],
    [
      'an untrusted certificate',
      (mock) =>
        mock.agent
          .get('https://s4.example.com:44300')
          .intercept({ path: () => true, method: 'GET' })
          .replyWithError(
            Object.assign(new Error('unable to verify the first certificate'), {
              code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
            }),
          ),
      'TLS_CERT_UNTRUSTED',
      /company CA certificate.*tls\.ca/,
    ],
  ];

  it.each(failures)('turns %s into an actionable message without throwing', async (_name, arrange, code, message) => {
    // Network failures go on an agent without the scripted catch-all, which would answer first.
    const own = mockSap(code.startsWith('DNS') || code.startsWith('TLS') ? [] : undefined);
    arrange(own);
    const sap = connectorOn(own);
    const result = await sap.test();
    await sap.close();
    await own.close();
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe(code);
    expect(result.message).toMatch(message);
    expect(result.message).not.toContain('canary-password');
  });

  it('names a missing entity set in an answering service', async () => {
    mock.on('GET', `${V2_ROOT}/`, { status: 200, body: { d: { EntitySets: ['A_ProductionOrderItem_2'] } } });
    const sap = connectorOn(mock);
    const result = await sap.test();
    await sap.close();
    expect(result).toMatchObject({ ok: false, error: { code: 'SERVICE_NOT_FOUND' } });
    expect(result.message).toMatch(/has no entity set A_ProductionOrder_2 \(it has A_ProductionOrderItem_2\)/);
  });
});
