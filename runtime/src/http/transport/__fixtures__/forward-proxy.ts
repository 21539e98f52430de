import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';

import { basicAuthorization } from '../secret-set';
import { listen, type TestServer } from './servers';

/** What the proxy forwarded: `CONNECT 127.0.0.1:443` for a tunnel, `GET http://…/path` for plain http. */
export interface ProxiedRequest {
  readonly method: string;
  readonly target: string;
  readonly proxyAuthorization: string | undefined;
}

export interface ForwardProxy extends TestServer {
  readonly proxied: ProxiedRequest[];
}

/**
 * A minimal forward proxy: CONNECT tunnels for https targets and absolute-URI requests for http targets,
 * the two ways a client talks to a corporate proxy (RFC 9110 §9.3.6, RFC 9112 §3.2.2). With `credentials`
 * it answers 407 to requests without the matching Proxy-Authorization.
 */
export async function startForwardProxy(credentials?: {
  readonly username: string;
  readonly password: string;
}): Promise<ForwardProxy> {
  const proxied: ProxiedRequest[] = [];
  const expected = credentials ? basicAuthorization(credentials.username, credentials.password) : undefined;
  const record = (request: IncomingMessage): boolean => {
    const proxyAuthorization = request.headers['proxy-authorization'];
    proxied.push({ method: request.method ?? '', target: request.url ?? '', proxyAuthorization });
    return expected === undefined || proxyAuthorization === expected;
  };

  const server = createServer((request, response) => {
    if (!record(request)) {
      response.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const target = new URL(request.url ?? '');
    const headers = { ...request.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: request.method,
        headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => response.writeHead(502).end());
    request.pipe(upstream);
  });

  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    if (!record(request)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n');
      return;
    }
    const [host = '', port = ''] = (request.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    client.on('error', () => upstream.destroy());
  });

  const running = await listen(server);
  return { ...running, proxied };
}
