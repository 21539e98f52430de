import type { IncomingMessage, ServerResponse } from 'node:http';

import { TaktError } from '../../errors';
import { closedPort, sendJson, startHttpServer, type TestServer } from './__fixtures__/servers';
import { HttpClient } from './http-client';

/** Runs `action` and returns the TaktError it must reject with. */
async function failure(action: () => Promise<unknown>): Promise<TaktError> {
  try {
    await action();
  } catch (error) {
    if (TaktError.is(error)) return error;
    throw new Error(`expected a TaktError, got ${String(error)}`);
  }
  throw new Error('expected the call to fail');
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

describe('HttpClient against a local server', () => {
  let server: TestServer;
  let client: HttpClient;
  let handle: (request: IncomingMessage, response: ServerResponse) => void;

  beforeAll(async () => {
    server = await startHttpServer((request, response) => handle(request, response));
  });
  afterAll(() => server.close());
  beforeEach(() => {
    client = new HttpClient({ baseUrl: `${server.origin}/sap/opu/odata/sap/API_X?sap-client=100`, proxy: 'none' });
  });
  afterEach(() => client.close());

  it('reuses one keep-alive socket for sequential JSON requests', async () => {
    handle = (request, response) => sendJson(response, 200, { path: request.url });
    const before = server.connections();
    const bodies: unknown[] = [];
    for (let i = 0; i < 3; i += 1) bodies.push((await client.request({ path: `A_Item(${i})` })).body);
    expect(bodies).toEqual([0, 1, 2].map((i) => ({ path: `/sap/opu/odata/sap/API_X/A_Item(${i})?sap-client=100` })));
    expect(server.connections() - before).toBe(1);
  });

  // WHATWG URL percent-encodes "'" in the query of http(s) URLs; servers decode it back.
  it('appends paths to the base URL, encodes the query as %20 and keeps OData "$" names', async () => {
    handle = (request, response) => sendJson(response, 200, { url: request.url });
    const response = await client.request({
      path: '/A_Item',
      query: { $filter: "Plant eq '1000' and Name eq 'a+b'", $top: 2, tag: ['x', 'y'], skip: undefined },
    });
    expect(response.body).toEqual({
      url: '/sap/opu/odata/sap/API_X/A_Item?sap-client=100&$filter=Plant%20eq%20%271000%27%20and%20Name%20eq%20%27a%2Bb%27&$top=2&tag=x&tag=y',
    });
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${server.origin}${(response.body as { url: string }).url}`);
  });

  it('resolves `url` like a link against the base URL (relative OData next links)', async () => {
    handle = (request, response) => sendJson(response, 200, { url: request.url });
    const response = await client.request({ url: 'A_Item?$skiptoken=5' });
    expect(response.body).toEqual({ url: '/sap/opu/odata/sap/A_Item?$skiptoken=5' });
  });

  it('sends objects as JSON and returns text, bytes and lower-cased headers as asked', async () => {
    handle = (request, response) => {
      void readBody(request).then((body) => {
        response.writeHead(201, {
          'Content-Type': 'text/plain; charset=utf-8',
          'X-Echo-Type': request.headers['content-type'] ?? 'none',
        });
        response.end(`${request.method} ${body}`);
      });
    };
    const text = await client.request({ method: 'post', path: 'A_Item', body: { id: 1, name: 'Ä' }, expect: 'text' });
    expect(text).toMatchObject({ status: 201, body: 'POST {"id":1,"name":"Ä"}' });
    expect(text.headers['x-echo-type']).toBe('application/json');
    const bytes = await client.request({ method: 'PUT', path: 'A_Item', body: Buffer.from([1, 2]), expect: 'buffer' });
    expect(bytes.body.equals(Buffer.from('PUT \u0001\u0002'))).toBe(true);
  });

  it('moves URL credentials into a Basic Authorization header', async () => {
    handle = (request, response) => sendJson(response, 200, { authorization: request.headers.authorization });
    const withCredentials = new HttpClient({ baseUrl: `http://ada:p%40ss@127.0.0.1:${server.port}/`, proxy: 'none' });
    try {
      const response = await withCredentials.request({ path: 'me' });
      expect(response.body).toEqual({ authorization: `Basic ${Buffer.from('ada:p@ss').toString('base64')}` });
    } finally {
      await withCredentials.close();
    }
  });

  it('returns an empty JSON body as undefined and accepts okStatuses', async () => {
    handle = (_request, response) => response.writeHead(404).end();
    const response = await client.request({ path: 'A_Item(9)', okStatuses: [404] });
    expect(response).toMatchObject({ status: 404, body: undefined });
  });

  it('rejects a body that is not JSON with RESPONSE_INVALID quoting its start', async () => {
    handle = (_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>Login</html>');
    const error = await failure(() => client.request({ path: 'A_Item' }));
    expect(error.code).toBe('RESPONSE_INVALID');
    expect(error.message).toContain('starts with: <html>Login</html>');
  });

  it('fails with HEADERS_TIMEOUT when the server never answers; the request may have reached it', async () => {
    handle = () => undefined;
    const impatient = new HttpClient({ baseUrl: server.origin, proxy: 'none', timeouts: { headersMs: 200 } });
    try {
      const started = Date.now();
      const error = await failure(() => impatient.request({ path: 'slow' }));
      expect(error).toMatchObject({ code: 'HEADERS_TIMEOUT', kind: 'transient', retryable: true });
      expect(error.details).toMatchObject({
        requestMayHaveReachedServer: true,
        networkCode: 'UND_ERR_HEADERS_TIMEOUT',
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await impatient.close();
    }
  });

  it('fails with CONNECTION_REFUSED on a closed port; the request never reached a server', async () => {
    const port = await closedPort();
    const error = await failure(() => client.request({ url: `http://127.0.0.1:${port}/x` }));
    expect(error).toMatchObject({ code: 'CONNECTION_REFUSED', retryable: true });
    expect(error.details).toMatchObject({ requestMayHaveReachedServer: false, method: 'GET' });
    expect(error.message).toContain(`refused the connection`);
    expect(error.message).toContain(`127.0.0.1:${port}`);
  });

  it('fails with CONNECTION_RESET when the server drops the socket after reading a POST body', async () => {
    let received = '';
    handle = (request) => {
      void readBody(request).then((body) => {
        received = body;
        request.socket.destroy();
      });
    };
    const error = await failure(() => client.request({ method: 'POST', path: 'A_Item', body: { id: 7 } }));
    expect(received).toBe('{"id":7}');
    expect(error).toMatchObject({ code: 'CONNECTION_RESET', retryable: true });
    expect(error.details.requestMayHaveReachedServer).toBe(true);
  });

  it('fails with ABORTED, not retryable, when the caller aborts', async () => {
    handle = () => undefined;
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('sync stopped by user')), 50);
    const error = await failure(() => client.request({ path: 'slow', signal: controller.signal }));
    expect(error).toMatchObject({ code: 'ABORTED', retryable: false });
    expect(error.message).toContain('sync stopped by user');
  });

  describe('response size limit', () => {
    const payload = 'x'.repeat(4096);
    let small: HttpClient;
    beforeEach(() => {
      small = new HttpClient({ baseUrl: server.origin, proxy: 'none', maxResponseBytes: 1024 });
    });
    afterEach(() => small.close());

    it('rejects early when Content-Length exceeds the limit', async () => {
      handle = (_request, response) => response.writeHead(200, { 'content-length': payload.length }).end(payload);
      const error = await failure(() => small.request({ path: 'big', expect: 'text' }));
      expect(error).toMatchObject({ code: 'RESPONSE_TOO_LARGE', retryable: false });
      expect(error.details).toMatchObject({ limitBytes: 1024, contentLength: 4096 });
      expect(error.message).toContain('1 KiB');
    });

    it('aborts a chunked body as soon as it passes the limit', async () => {
      let closedEarly = false;
      handle = (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.on('close', () => (closedEarly = !response.writableFinished));
        const timer = setInterval(() => response.write(payload), 10);
        response.on('close', () => clearInterval(timer));
      };
      const error = await failure(() => small.request({ path: 'endless', expect: 'text' }));
      expect(error.code).toBe('RESPONSE_TOO_LARGE');
      expect(error.details.receivedBytes).toBeGreaterThan(1024);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(closedEarly).toBe(true);
    });
  });

  it('refuses requests after close()', async () => {
    await client.close();
    const error = await failure(() => client.request({ path: 'x' }));
    expect(error.code).toBe('INTERNAL');
  });

  it('names the setting when options are invalid', () => {
    expect(() => new HttpClient({ timeouts: { connectMs: 0 } })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', details: { field: 'timeouts.connectMs' } }),
    );
    expect(() => new HttpClient({ baseUrl: 'ftp://host/' })).toThrow(expect.objectContaining({ code: 'URL_INVALID' }));
  });
});
