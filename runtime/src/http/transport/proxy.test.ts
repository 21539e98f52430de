import { createServer as createHttpsServer } from 'node:https';

import type { TaktError } from '../../errors';
import { startForwardProxy, type ForwardProxy } from './__fixtures__/forward-proxy';
import { createTestPki, type TestPki } from './__fixtures__/pki';
import { closedPort, listen, sendJson, startHttpServer, type TestServer } from './__fixtures__/servers';
import { HttpClient, type HttpClientOptions } from './http-client';
import { proxyFor, resolveProxy } from './proxy';

const PROXY_VARIABLES = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY'] as const;

/** Removes a variable; assigning undefined to process.env would store the string "undefined". */
function unsetEnv(name: string): void {
  Reflect.deleteProperty(process.env, name);
}

describe('resolveProxy', () => {
  it('reads the environment: lowercase first, HTTPS_PROXY falling back to HTTP_PROXY, scheme optional', () => {
    const plan = resolveProxy('env', { HTTP_PROXY: 'proxy.corp:3128', http_proxy: 'http://lower.corp:8080' });
    expect(plan.http?.uri).toBe('http://lower.corp:8080');
    expect(plan.https).toBe(plan.http);
    const both = resolveProxy('env', { HTTP_PROXY: 'proxy.corp:3128', HTTPS_PROXY: 'https://tls.corp' });
    expect([both.http?.uri, both.https?.uri]).toEqual(['http://proxy.corp:3128', 'https://tls.corp']);
  });

  it('moves proxy credentials into a token and lists them as secrets', () => {
    const plan = resolveProxy({ url: 'http://svc%40corp:p%3Ass@proxy.corp:3128', noProxy: 'erp.example' });
    const token = `Basic ${Buffer.from('svc@corp:p:ss').toString('base64')}`;
    expect(plan.http).toEqual({ uri: 'http://proxy.corp:3128', token, secrets: ['p:ss', token.slice(6)] });
    expect(proxyFor(plan, new URL('https://erp.example/x'))).toBeUndefined();
    expect(proxyFor(plan, new URL('https://other.example/x'))).toBe(plan.http);
    expect(proxyFor(resolveProxy('none'), new URL('https://other.example/x'))).toBeUndefined();
  });

  it('rejects other schemes and unparsable URLs with CONFIG_INVALID, without the password', () => {
    expect(() => resolveProxy({ url: 'socks5://proxy:1080' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', details: { field: 'proxy.url' } }),
    );
    let thrown: unknown;
    try {
      resolveProxy('env', { HTTPS_PROXY: 'http://user:hunter2-proxy@[bad' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'CONFIG_INVALID', details: { field: 'HTTPS_PROXY' } });
    expect(JSON.stringify(thrown)).not.toContain('hunter2-proxy');
  });
});

describe('requests through a local forward proxy', () => {
  let pki: TestPki;
  let plain: TestServer;
  let secure: TestServer;
  let proxy: ForwardProxy;
  const saved: Partial<Record<(typeof PROXY_VARIABLES)[number], string>> = {};

  beforeAll(async () => {
    pki = createTestPki();
    plain = await startHttpServer((request, response) => sendJson(response, 200, { via: 'http', path: request.url }));
    secure = await listen(
      createHttpsServer({ key: pki.serverKey, cert: pki.serverCert }, (request, response) =>
        sendJson(response, 200, { via: 'https', path: request.url }),
      ),
      'https',
    );
    proxy = await startForwardProxy();
    for (const name of PROXY_VARIABLES) {
      saved[name] = process.env[name];
      unsetEnv(name);
    }
  });
  afterAll(async () => {
    for (const name of PROXY_VARIABLES) {
      if (saved[name] === undefined) unsetEnv(name);
      else process.env[name] = saved[name];
    }
    await Promise.all([plain.close(), secure.close(), proxy.close()]);
    pki.remove();
  });
  beforeEach(() => {
    proxy.proxied.length = 0;
    for (const name of PROXY_VARIABLES) unsetEnv(name);
  });

  async function both(options: HttpClientOptions): Promise<unknown[]> {
    const client = new HttpClient({ tls: { ca: pki.caCert }, ...options });
    try {
      const viaHttp = await client.request({ url: `${plain.origin}/orders?top=1` });
      const viaHttps = await client.request({ url: `${secure.origin}/orders?top=2` });
      return [viaHttp.body, viaHttps.body];
    } finally {
      await client.close();
    }
  }

  const reached = [
    { via: 'http', path: '/orders?top=1' },
    { via: 'https', path: '/orders?top=2' },
  ];

  it('sends http targets as absolute-URI requests and tunnels https targets with CONNECT (explicit config)', async () => {
    await expect(both({ proxy: { url: proxy.origin } })).resolves.toEqual(reached);
    expect(proxy.proxied.map(({ method, target }) => `${method} ${target}`)).toEqual([
      `GET ${plain.origin}/orders?top=1`,
      `CONNECT 127.0.0.1:${secure.port}`,
    ]);
  });

  it('uses HTTP_PROXY and HTTPS_PROXY from the environment', async () => {
    process.env.HTTP_PROXY = proxy.origin;
    process.env.HTTPS_PROXY = proxy.origin;
    await expect(both({})).resolves.toEqual(reached);
    expect(proxy.proxied.map(({ method }) => method)).toEqual(['GET', 'CONNECT']);
  });

  it('goes direct for hosts in NO_PROXY, from the environment and from config', async () => {
    process.env.HTTPS_PROXY = proxy.origin;
    process.env.HTTP_PROXY = proxy.origin;
    process.env.NO_PROXY = 'erp.example, 127.0.0.1';
    await expect(both({})).resolves.toEqual(reached);
    await expect(both({ proxy: { url: proxy.origin, noProxy: ['127.0.0.1'] } })).resolves.toEqual(reached);
    expect(proxy.proxied).toEqual([]);
  });

  it('authenticates to the proxy with the URL credentials; wrong ones give PROXY_AUTH_FAILED', async () => {
    const guarded = await startForwardProxy({ username: 'svc', password: 'proxy-secret-1' });
    try {
      const url = (password: string): string => `http://svc:${password}@127.0.0.1:${guarded.port}`;
      await expect(both({ proxy: { url: url('proxy-secret-1') } })).resolves.toEqual(reached);
      expect(guarded.proxied.map((p) => p.proxyAuthorization)).toEqual([
        `Basic ${Buffer.from('svc:proxy-secret-1').toString('base64')}`,
        `Basic ${Buffer.from('svc:proxy-secret-1').toString('base64')}`,
      ]);

      const client = new HttpClient({ tls: { ca: pki.caCert }, proxy: { url: url('wrong-password') } });
      try {
        for (const target of [plain.origin, secure.origin]) {
          const error = await client.request({ url: `${target}/x` }).catch((thrown: unknown) => thrown);
          expect(error).toMatchObject({ code: 'PROXY_AUTH_FAILED', kind: 'auth' });
          expect((error as TaktError).details).toMatchObject({ requestMayHaveReachedServer: false, status: 407 });
        }
      } finally {
        await client.close();
      }
    } finally {
      await guarded.close();
    }
  });

  it('names the proxy when it cannot be reached', async () => {
    const port = await closedPort();
    const client = new HttpClient({ proxy: { url: `http://127.0.0.1:${port}` } });
    try {
      const error = await client.request({ url: `${plain.origin}/x` }).catch((thrown: unknown) => thrown);
      expect(error).toMatchObject({ code: 'CONNECTION_REFUSED' });
      expect((error as TaktError).message).toMatch(new RegExp(`^The proxy 127\\.0\\.0\\.1:${port} refused`));
    } finally {
      await client.close();
    }
  });
});
