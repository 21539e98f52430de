import { TaktError, redactText } from '../../../errors';
import { FakeClock } from '../../../time';
import { connectorOn, mockSap, pagesOf, V2_ROOT, type MockSap } from '../__fixtures__/mock-sap';

const TOKEN_HOST = 'https://auth.example.com';
const TOKEN_PATH = '/oauth/token';
const SECRET = 'canary-client-secret-5150';
const SET = `${V2_ROOT}/A_ProductionOrder_2`;

function oauthConnector(mock: MockSap, clock?: FakeClock) {
  return connectorOn(mock, {
    auth: {
      type: 'oauth2-client-credentials',
      tokenUrl: `${TOKEN_HOST}${TOKEN_PATH}`,
      clientId: 'takt-client',
      clientSecret: SECRET,
      scope: 'API_PRODUCTION_ORDER_2_SRV_0001',
    },
    ...(clock ? { clock } : {}),
  });
}

/** Issues access-token-1, access-token-2, … valid for `lifetimeS` seconds. */
function serveTokens(mock: MockSap, lifetimeS = 3600): void {
  let n = 0;
  mock.on('POST', TOKEN_PATH, () => {
    n += 1;
    return {
      status: 200,
      body: { access_token: `access-token-${n}-xyz`, token_type: 'bearer', expires_in: lifetimeS },
    };
  });
}

const page = { status: 200, body: { d: { results: [] } } };

describe('OAuth 2.0 client credentials (contract, MockAgent)', () => {
  let mock: MockSap;
  beforeEach(() => {
    mock = mockSap(['https://s4.example.com:44300', TOKEN_HOST]);
  });
  afterEach(() => mock.close());

  it('fetches one token with Basic client authentication and reuses it while valid', async () => {
    serveTokens(mock);
    mock.on('GET', SET, page);
    const sap = oauthConnector(mock);
    await pagesOf(sap.read('production-orders'));
    await pagesOf(sap.read('production-orders'));
    await sap.close();

    const [token, ...reads] = mock.exchanges;
    expect(token?.url.origin).toBe(TOKEN_HOST);
    expect(token?.headers.authorization).toBe(`Basic ${Buffer.from(`takt-client:${SECRET}`).toString('base64')}`);
    expect(new URLSearchParams(token?.body)).toEqual(
      new URLSearchParams({ grant_type: 'client_credentials', scope: 'API_PRODUCTION_ORDER_2_SRV_0001' }),
    );
    expect(reads.map((e) => e.headers.authorization)).toEqual([
      'Bearer access-token-1-xyz',
      'Bearer access-token-1-xyz',
    ]);
    // The token endpoint is another system: no sap-client there.
    expect(token?.url.searchParams.has('sap-client')).toBe(false);
  });

  it('renews the token a minute before it expires', async () => {
    const clock = new FakeClock();
    serveTokens(mock, 600);
    mock.on('GET', SET, page);
    const sap = oauthConnector(mock, clock);
    await pagesOf(sap.read('production-orders'));
    await clock.advance(538_000);
    await pagesOf(sap.read('production-orders'));
    await clock.advance(2_000);
    await pagesOf(sap.read('production-orders'));
    await sap.close();
    expect(mock.exchanges.filter((e) => e.method === 'GET').map((e) => e.headers.authorization)).toEqual([
      'Bearer access-token-1-xyz',
      'Bearer access-token-1-xyz',
      'Bearer access-token-2-xyz',
    ]);
  });

  it('on a 401 fetches a new token and retries exactly once', async () => {
    serveTokens(mock);
    mock.on('GET', SET, { status: 401, body: 'token expired' }, 1);
    mock.on('GET', SET, page);
    const sap = oauthConnector(mock);
    const pages = await pagesOf(sap.read('production-orders'));
    await sap.close();
    expect(pages).toHaveLength(1);
    const scheme = (value = ''): string => (value.startsWith('Basic ') ? 'Basic' : value);
    expect(mock.exchanges.map((e) => `${e.method} ${e.url.pathname} ${scheme(e.headers.authorization)}`)).toEqual([
      `POST ${TOKEN_PATH} Basic`,
      `GET ${SET} Bearer access-token-1-xyz`,
      `POST ${TOKEN_PATH} Basic`,
      `GET ${SET} Bearer access-token-2-xyz`,
    ]);
  });

  it('gives up with AUTH_FAILED when the new token is refused too', async () => {
    serveTokens(mock);
    mock.on('GET', SET, { status: 401, body: 'no' });
    const sap = oauthConnector(mock);
    const error = await pagesOf(sap.read('production-orders')).catch((e: unknown) => e);
    await sap.close();
    expect(TaktError.is(error) && error.code).toBe('AUTH_FAILED');
    expect(mock.exchanges.filter((e) => e.url.origin === TOKEN_HOST)).toHaveLength(2);
  });

  it('reports a refused client secret as AUTH_FAILED naming the settings, without the secret', async () => {
    mock.on('POST', TOKEN_PATH, {
      status: 401,
      body: { error: 'invalid_client', error_description: `bad secret ${SECRET}` },
    });
    const sap = oauthConnector(mock);
    const error = await pagesOf(sap.read('production-orders')).catch((e: unknown) => e);
    expect(TaktError.is(error) && error.code).toBe('AUTH_FAILED');
    expect(TaktError.is(error) && error.message).toMatch(/auth\.clientId, auth\.clientSecret/);
    expect(JSON.stringify(error)).not.toContain(SECRET);
    await sap.close();
  });

  it('masks the token while it is held and forgets it after close()', async () => {
    serveTokens(mock);
    mock.on('GET', SET, page);
    const sap = oauthConnector(mock);
    await pagesOf(sap.read('production-orders'));
    expect(redactText('leak access-token-1-xyz')).toBe('leak [REDACTED]');
    await sap.close();
    expect(redactText('leak access-token-1-xyz')).toBe('leak access-token-1-xyz');
  });
});
