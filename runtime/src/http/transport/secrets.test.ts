import { randomBytes } from 'node:crypto';
import { createServer as createHttpsServer } from 'node:https';

import { TaktError } from '../../errors';
import { createLogger, type LogRecord } from '../../log';
import { startForwardProxy, type ForwardProxy } from './__fixtures__/forward-proxy';
import { createTestPki, type TestPki } from './__fixtures__/pki';
import { closedPort, listen, sendJson, startHttpServer, type TestServer } from './__fixtures__/servers';
import { HttpClient, type HttpClientOptions, type HttpRequest } from './http-client';

/** Unique strings that must never show up in anything an error exposes (T24). */
const canary = (label: string): string => `${label}-${randomBytes(9).toString('hex')}`;
const PASSWORD = canary('pw');
const TOKEN = canary('tok');
const PROXY_PASSWORD = canary('ppw');
const FORBIDDEN = [
  PASSWORD,
  TOKEN,
  PROXY_PASSWORD,
  Buffer.from(`ada:${PASSWORD}`).toString('base64'),
  Buffer.from(`svc:${PROXY_PASSWORD}`).toString('base64'),
];

/** Every surface of an error a host, a log or a dead-letter row could show. */
function surfaces(error: TaktError): Record<string, string> {
  const records: LogRecord[] = [];
  createLogger({ sink: (record) => records.push(record) }).error('request failed', { error, details: error.details });
  return {
    message: error.message,
    stack: error.stack ?? '',
    json: JSON.stringify(error),
    cause: String(error.cause),
    causeJson: JSON.stringify(error.cause) ?? '',
    details: JSON.stringify(error.details),
    log: JSON.stringify(records),
  };
}

function expectNoCanary(error: unknown): void {
  if (!TaktError.is(error)) throw new Error(`expected a TaktError, got ${String(error)}`);
  for (const [surface, text] of Object.entries(surfaces(error))) {
    for (const secret of FORBIDDEN) {
      if (text.includes(secret)) throw new Error(`${error.code}: a canary leaked into ${surface}: ${text}`);
    }
  }
}

async function failureOf(options: HttpClientOptions, request: HttpRequest): Promise<TaktError> {
  const client = new HttpClient({ proxy: 'none', ...options });
  try {
    await client.request(request);
  } catch (error) {
    if (TaktError.is(error)) return error;
    throw error;
  } finally {
    // Checked after close: closing forgets the registered secrets, and the errors must stay clean anyway.
    await client.close();
  }
  throw new Error('expected the request to fail');
}

describe('secret canaries never reach errors (T24)', () => {
  let pki: TestPki;
  let echo: TestServer;
  let secure: TestServer;
  let proxy: ForwardProxy;
  const bearer = { authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    pki = createTestPki();
    echo = await startHttpServer((request, response) => {
      const basic = request.headers.authorization?.replace(/^Basic /, '') ?? '';
      const decoded = Buffer.from(basic, 'base64').toString('utf8');
      // A careless server: it echoes the request headers and, in prose, the password it decoded.
      sendJson(response, request.url === '/500' ? 500 : 401, {
        error: `login failed for ${decoded}`,
        headers: request.headers,
      });
    });
    secure = await listen(
      createHttpsServer({ key: pki.serverKey, cert: pki.serverCert }, (_q, s) => s.end('{}')),
      'https',
    );
    proxy = await startForwardProxy({ username: 'svc', password: canary('other') });
  });
  afterAll(async () => {
    await Promise.all([echo.close(), secure.close(), proxy.close()]);
    pki.remove();
  });

  it('a 401 and a 500 whose bodies echo the credentials', async () => {
    const base = `http://ada:${PASSWORD}@127.0.0.1:${echo.port}`;
    const unauthorized = await failureOf({ baseUrl: base }, { path: '/401', headers: { 'x-api-key': TOKEN } });
    expect(unauthorized.code).toBe('AUTH_FAILED');
    expect(unauthorized.details.bodySnippet).toContain('login failed for ada:[REDACTED]');
    expectNoCanary(unauthorized);
    const serverError = await failureOf({ baseUrl: base, defaultHeaders: bearer }, { path: '/500' });
    expect(serverError.code).toBe('HTTP_SERVER_ERROR');
    expectNoCanary(serverError);
  });

  it('a DNS failure for a URL with credentials', async () => {
    const error = await failureOf(
      { defaultHeaders: bearer },
      { url: `http://ada:${PASSWORD}@no-such-host.invalid/orders?access_token=${TOKEN}` },
    );
    expect(['DNS_NOT_FOUND', 'DNS_TEMPORARY']).toContain(error.code);
    expect(error.details.requestMayHaveReachedServer).toBe(false);
    expectNoCanary(error);
  });

  it('a TLS failure', async () => {
    const error = await failureOf(
      { baseUrl: `https://ada:${PASSWORD}@127.0.0.1:${secure.port}/`, defaultHeaders: bearer },
      { path: 'orders' },
    );
    expect(error.code).toBe('TLS_CERT_UNTRUSTED');
    expectNoCanary(error);
  });

  it('an invalid URL, as request URL and as base URL', async () => {
    const request = await failureOf({ defaultHeaders: bearer }, { url: `http://ada:${PASSWORD}@[bad` });
    expect(request.code).toBe('URL_INVALID');
    expect(request.message).toContain('http://ada:[REDACTED]@[bad');
    expectNoCanary(request);

    let thrown: unknown;
    try {
      new HttpClient({ baseUrl: `http://ada:${PASSWORD}@[bad/sap` });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'URL_INVALID', details: { field: 'baseUrl' } });
    expectNoCanary(thrown);
  });

  it('a proxy password, when the proxy refuses it, is unreachable, or its URL is invalid', async () => {
    const proxyUrl = (port: number): string => `http://svc:${PROXY_PASSWORD}@127.0.0.1:${port}`;
    for (const target of [`http://127.0.0.1:${echo.port}/x`, `https://127.0.0.1:${secure.port}/x`]) {
      const refused = await failureOf({ proxy: { url: proxyUrl(proxy.port) } }, { url: target });
      expect(refused.code).toBe('PROXY_AUTH_FAILED');
      expectNoCanary(refused);
    }
    const unreachable = await failureOf({ proxy: { url: proxyUrl(await closedPort()) } }, { url: `${echo.origin}/` });
    expect(unreachable.code).toBe('CONNECTION_REFUSED');
    expectNoCanary(unreachable);

    let thrown: unknown;
    try {
      new HttpClient({ proxy: { url: `http://svc:${PROXY_PASSWORD}@[bad` } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'CONFIG_INVALID' });
    expectNoCanary(thrown);
  });

  // Runs last: every client above is closed, so none of the canaries is registered any more. A TaktError
  // that carries one must therefore fail the check, which shows the checks above were not vacuous.
  it('the check catches a canary that nothing masks', () => {
    for (const secret of [PASSWORD, TOKEN, PROXY_PASSWORD]) {
      expect(() => expectNoCanary(new TaktError('INTERNAL', `echo: ${secret}`))).toThrow(/leaked into message/);
    }
  });
});
