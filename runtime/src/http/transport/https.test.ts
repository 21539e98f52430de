import { createServer as createHttpServer } from 'node:http';
import { createServer, type ServerOptions } from 'node:https';
import type { TLSSocket } from 'node:tls';

import { TaktError } from '../../errors';
import { createTestPki, type TestPki } from './__fixtures__/pki';
import { listen, type TestServer } from './__fixtures__/servers';
import { HttpClient, type HttpClientOptions } from './http-client';

async function get(options: HttpClientOptions, url: string): Promise<unknown> {
  const client = new HttpClient({ proxy: 'none', ...options });
  try {
    return (await client.request({ url })).body;
  } finally {
    await client.close();
  }
}

async function failure(options: HttpClientOptions, url: string): Promise<TaktError> {
  const outcome = await get(options, url).then(
    () => new Error('expected the request to fail'),
    (error: unknown) => error,
  );
  if (!TaktError.is(outcome)) throw outcome;
  return outcome;
}

describe('HTTPS against local servers with a test CA', () => {
  let pki: TestPki;
  let server: TestServer;
  let mtls: TestServer;

  const start = (options: ServerOptions): Promise<TestServer> =>
    listen(
      createServer({ key: pki.serverKey, cert: pki.serverCert, ...options }, (request, response) => {
        const peer = (request.socket as TLSSocket).getPeerCertificate();
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ ok: true, client: peer.subject?.CN ?? null }));
      }),
      'https',
    );

  beforeAll(async () => {
    pki = createTestPki();
    server = await start({});
    mtls = await start({ ca: pki.caCert, requestCert: true, rejectUnauthorized: true });
  });
  afterAll(async () => {
    await server.close();
    await mtls.close();
    pki.remove();
  });

  it('succeeds with the CA configured, by IP and by host name', async () => {
    await expect(get({ tls: { ca: pki.caCert } }, `${server.origin}/`)).resolves.toEqual({ ok: true, client: null });
    await expect(get({ tls: { ca: pki.caCert } }, `https://localhost:${server.port}/`)).resolves.toMatchObject({
      ok: true,
    });
  });

  it('fails with TLS_CERT_UNTRUSTED and names the CA setting without the CA', async () => {
    for (const tls of [undefined, { ca: pki.otherCaCert }]) {
      const error = await failure({ ...(tls ? { tls } : {}) }, `${server.origin}/`);
      expect(error).toMatchObject({ code: 'TLS_CERT_UNTRUSTED', kind: 'config', retryable: false });
      expect(error.details).toMatchObject({
        requestMayHaveReachedServer: false,
        networkCode: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      });
      expect(error.message).toContain(`The server's certificate for 127.0.0.1:${server.port} is not trusted`);
      expect(error.message).toContain("add that CA certificate (PEM) in the connection's TLS settings (tls.ca)");
    }
  });

  it('works with rejectUnauthorized false (tests only)', async () => {
    await expect(get({ tls: { rejectUnauthorized: false } }, `${server.origin}/`)).resolves.toMatchObject({
      ok: true,
    });
  });

  it('fails with TLS_HOSTNAME_MISMATCH when the certificate is for another name', async () => {
    const error = await failure({ tls: { ca: pki.caCert, servername: 'erp.example' } }, `${server.origin}/`);
    expect(error.code).toBe('TLS_HOSTNAME_MISMATCH');
    expect(error.message).toContain('tls.servername');
  });

  it('presents a client certificate to a server that requires one (mTLS), also from an encrypted key', async () => {
    const identity = { ca: pki.caCert, cert: pki.clientCert };
    await expect(get({ tls: { ...identity, key: pki.clientKey } }, `${mtls.origin}/`)).resolves.toEqual({
      ok: true,
      client: 'takt-client',
    });
    const encrypted = { ...identity, key: pki.clientKeyEncrypted, passphrase: pki.clientKeyPassphrase };
    await expect(get({ tls: encrypted }, `${mtls.origin}/`)).resolves.toMatchObject({ client: 'takt-client' });
  });

  // With TLS 1.3 the server checks the client certificate after the client considers the handshake done, so
  // the client usually sees the socket close (CONNECTION_RESET) and only sometimes the server's alert.
  it('fails without the client certificate with a message pointing at tls.cert and tls.key', async () => {
    const error = await failure({ tls: { ca: pki.caCert } }, `${mtls.origin}/`);
    expect(['CONNECTION_RESET', 'TLS_HANDSHAKE_FAILED']).toContain(error.code);
    expect(error.message).toContain('set tls.cert and tls.key');
  });

  it('fails with TLS_HANDSHAKE_FAILED when https:// meets a plain-http port', async () => {
    const plain = await listen(createHttpServer((_request, response) => response.end('plain')));
    try {
      const error = await failure({}, `https://127.0.0.1:${plain.port}/`);
      expect(error.code).toBe('TLS_HANDSHAKE_FAILED');
      expect(error.details.networkCode).toBe('ERR_SSL_WRONG_VERSION_NUMBER');
      expect(error.message).toContain('use http:// for a plain port');
    } finally {
      await plain.close();
    }
  });
});
