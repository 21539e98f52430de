import type { RunningSimulator } from '../../simulator';
import { BASIC, fetchCsrf, PO_ROOT, sapSimulator, send } from '../../testing/wire';

/** Logon, sap-client and the CSRF handshake as documented in reference A.2–A.4. */
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await sapSimulator({ size: 100 });
});
afterAll(() => sim.close());

const orders = (): string => `${sim.url}${PO_ROOT}/A_ProductionOrder_2`;
const newOrder = {
  ManufacturingOrderType: 'PP01',
  Material: 'FG-VALVE-DN50',
  ProductionPlant: '1710',
  TotalQuantity: '25',
};

describe('logon', () => {
  it('answers 401 with a Basic challenge without or with wrong credentials', async () => {
    const none = await fetch(`${orders()}?$top=1`, { headers: { accept: 'application/json' } });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Basic realm="SAP NetWeaver Application Server [TKT/100]"');
    const wrong = await fetch(`${orders()}?$top=1`, {
      headers: {
        accept: 'application/json',
        authorization: `Basic ${Buffer.from('TAKT_USER:nope').toString('base64')}`,
      },
    });
    expect(wrong.status).toBe(401);
  });

  it('honours sap-client as query parameter and header; another client fails logon', async () => {
    const headers = { accept: 'application/json', authorization: BASIC };
    expect((await fetch(`${orders()}?$top=1&sap-client=100`, { headers })).status).toBe(200);
    expect((await fetch(`${orders()}?$top=1`, { headers: { ...headers, 'sap-client': '100' } })).status).toBe(200);
    const other = await fetch(`${orders()}?$top=1&sap-client=200`, { headers });
    expect(other.status).toBe(401);
    expect(await other.text()).toContain('client 200');
  });

  it('uses sap-language for the language of error messages', async () => {
    const { body } = await send(`${orders()}('0')?sap-language=DE`, 'GET', undefined, undefined);
    expect((body as { error: { message: { lang: string } } }).error.message.lang).toBe('de');
  });
});

describe('OAuth 2.0 client credentials', () => {
  const tokenUrl = (): string => `${sim.url}/sap/bc/sec/oauth2/token`;
  const form = (body: Record<string, string>): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body).toString(),
  });

  it('issues a bearer token that authenticates reads, until the tokens are expired', async () => {
    const response = await fetch(
      tokenUrl(),
      form({ grant_type: 'client_credentials', client_id: 'takt-client', client_secret: 'takt-secret' }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const token = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(token.token_type).toBe('Bearer');
    expect(token.expires_in).toBe(3600);
    const headers = { accept: 'application/json', authorization: `Bearer ${token.access_token}` };
    expect((await fetch(`${orders()}?$top=1`, { headers })).status).toBe(200);

    expect(sim.faults.expireOAuthTokens()).toBe(1);
    const expired = await fetch(`${orders()}?$top=1`, { headers });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });

  it('takes client credentials in a Basic header too, and refuses bad clients and grants', async () => {
    const basic = `Basic ${Buffer.from('takt-client:takt-secret').toString('base64')}`;
    const ok = await fetch(tokenUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
      body: 'grant_type=client_credentials',
    });
    expect(ok.status).toBe(200);
    const bad = await fetch(
      tokenUrl(),
      form({ grant_type: 'client_credentials', client_id: 'takt-client', client_secret: 'x' }),
    );
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: 'invalid_client' });
    const grant = await fetch(
      tokenUrl(),
      form({ grant_type: 'password', client_id: 'takt-client', client_secret: 'takt-secret' }),
    );
    expect(grant.status).toBe(400);
    expect(await grant.json()).toEqual({ error: 'unsupported_grant_type' });
  });
});

describe('CSRF handshake', () => {
  it('refuses a write without token with 403 and X-CSRF-Token: Required', async () => {
    const response = await send(orders(), 'POST', undefined, newOrder);
    expect(response.status).toBe(403);
    expect(response.headers.get('x-csrf-token')).toBe('Required');
    expect(response.text).toBe('CSRF token validation failed');
  });

  it('hands out a token with SAP_SESSIONID_<SID>_<client> and sap-usercontext cookies on GET + Fetch', async () => {
    const response = await fetch(`${sim.url}${PO_ROOT}/$metadata`, {
      headers: { authorization: BASIC, 'x-csrf-token': 'Fetch' },
    });
    expect(response.headers.get('x-csrf-token')).toMatch(/^[A-Za-z0-9+/=]{16,}$/);
    const cookies = response.headers.getSetCookie();
    expect(cookies.some((c) => /^SAP_SESSIONID_TKT_100=[^;]+; path=\//.test(c))).toBe(true);
    expect(cookies).toContain('sap-usercontext=sap-client=100; path=/');
  });

  it('needs the token AND the session cookie', async () => {
    const session = await fetchCsrf(sim);
    const tokenOnly = await send(orders(), 'POST', undefined, newOrder, { 'x-csrf-token': session.token });
    expect(tokenOnly.status).toBe(403);
    const cookieOnly = await send(orders(), 'POST', undefined, newOrder, { cookie: session.cookie });
    expect(cookieOnly.status).toBe(403);
    const both = await send(orders(), 'POST', session, newOrder);
    expect(both.status).toBe(201);
  });

  it("returns the same token for a fetch inside a live session, and refuses another session's token", async () => {
    const a = await fetchCsrf(sim);
    const again = await fetch(`${sim.url}${PO_ROOT}/`, {
      headers: { authorization: BASIC, 'x-csrf-token': 'Fetch', cookie: a.cookie },
    });
    expect(again.headers.get('x-csrf-token')).toBe(a.token);
    const b = await fetchCsrf(sim);
    const mixed = await send(orders(), 'POST', { token: b.token, cookie: a.cookie }, newOrder);
    expect(mixed.status).toBe(403);
  });

  it('refuses a token after the sessions expire; a re-fetch works again (the client reaction of A.4)', async () => {
    const session = await fetchCsrf(sim);
    expect((await send(orders(), 'POST', session, newOrder)).status).toBe(201);
    await fetch(`${sim.url}/__sim/faults`, {
      method: 'PUT',
      body: JSON.stringify({ sap: { expireCsrfTokens: true } }),
    });
    const stale = await send(orders(), 'POST', session, newOrder);
    expect(stale.status).toBe(403);
    expect(stale.headers.get('x-csrf-token')).toBe('Required');
    const fresh = await fetchCsrf(sim);
    expect(fresh.token).not.toBe(session.token);
    expect((await send(orders(), 'POST', fresh, newOrder)).status).toBe(201);
  });

  it('binds the token to the client: a session of client 100 does not pass with sap-client=200', async () => {
    const session = await fetchCsrf(sim);
    const response = await send(`${orders()}?sap-client=200`, 'POST', session, newOrder);
    expect(response.status).toBe(401);
  });

  it('does not need a token for reads, and HEAD works for the fetch', async () => {
    const head = await fetch(`${sim.url}${PO_ROOT}/`, {
      method: 'HEAD',
      headers: { authorization: BASIC, 'x-csrf-token': 'Fetch' },
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-csrf-token')).toBeTruthy();
  });
});
