import type { ServerResponse } from 'node:http';

import type { HttpApp, HttpHandler, HttpRequest } from './node-red';

/**
 * Node-RED's HTTP node app (express) as a webhook endpoint needs: the raw request bytes (signatures cover
 * them exactly, so nothing may parse the body first), replies without express helpers, and removing a
 * route when the node closes (express has no API for it; Node-RED's own HTTP In node edits the router stack
 * the same way).
 */

/** The raw body, set by rawBody() on the request it read. */
const RAW_BODY = Symbol('takt.rawBody');

interface WithRawBody {
  [RAW_BODY]?: Buffer;
}

/**
 * Middleware that reads the whole body as bytes, up to `maxBytes`: a longer body gets 413 at once (the rest
 * is not read into memory). A body some earlier middleware (settings.httpNodeMiddleware) already consumed
 * is used when it is still raw bytes; parsed, it cannot be verified, and the request gets 500 with a log line
 * saying what to change.
 */
export function rawBody(maxBytes: number, onParsedBody: () => void): HttpHandler {
  return (req, res, next) => {
    if ((req as WithRawBody)[RAW_BODY] !== undefined) {
      next();
      return;
    }
    if (req.readableEnded) {
      if (Buffer.isBuffer(req.body)) {
        (req as WithRawBody)[RAW_BODY] = req.body;
        next();
        return;
      }
      onParsedBody();
      replyJson(res, 500, { status: 'error', error: 'The request body was parsed before it could be verified.' });
      return;
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      tooLarge(req, res, maxBytes);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        done = true;
        tooLarge(req, res, maxBytes);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      (req as WithRawBody)[RAW_BODY] = Buffer.concat(chunks, size);
      next();
    });
    req.on('error', (error) => {
      if (done) return;
      done = true;
      next(error);
    });
  };
}

/**
 * Reads the raw body of Takt's webhook routes before ANY other middleware of Node-RED's HTTP server runs. With
 * Node-RED's default layout (httpAdminRoot and httpNodeRoot both "/") the editor's admin app sits in front of
 * the node app and parses every JSON body, so by the time a node route runs the bytes the signature covers are
 * gone. Node-RED's own HTTP In node solves its "raw body" option the same way: one middleware on the root
 * express app, moved to the top of its stack, that reads the body of the routes registered with it and marks
 * the request parsed (`_body`), which body-parser honours by leaving it alone.
 *
 * Returns the function that unregisters the route (on close).
 */
export function captureRawBodyFirst(app: HttpApp, path: string, maxBytes: number): () => void {
  const root = rootApp(app);
  const routes = rawRoutes(root);
  const key = routeKey(`${app.path?.() ?? ''}${path}`);
  routes.set(key, maxBytes);
  return () => {
    routes.delete(key);
  };
}

const RAW_ROUTES = Symbol.for('takt.webhookRawRoutes');

interface WithRawRoutes {
  [RAW_ROUTES]?: Map<string, number>;
}

function rootApp(app: HttpApp): HttpApp {
  let current = app;
  while (current.parent !== undefined) current = current.parent;
  return current;
}

function routeKey(path: string): string {
  return path.replace(/\/{2,}/g, '/').replace(/\/$/, '');
}

/** The root app's table of raw routes, installing its one capture middleware at the top on first use. */
function rawRoutes(root: HttpApp): Map<string, number> {
  const holder = root as WithRawRoutes;
  const existing = holder[RAW_ROUTES];
  if (existing !== undefined) return existing;
  const routes = new Map<string, number>();
  holder[RAW_ROUTES] = routes;
  const capture: HttpHandler = (req, res, next) => {
    if (req.method !== 'POST') return next();
    const maxBytes = routes.get(routeKey(new URL(req.url ?? '/', 'http://localhost').pathname));
    if (maxBytes === undefined || req.readableEnded) return next();
    rawBody(maxBytes, () => undefined)(req, res, (err) => {
      if (err === undefined) (req as { _body?: boolean })._body = true;
      next(err);
    });
  };
  root.use?.(capture);
  const stack = root._router?.stack;
  if (stack !== undefined) {
    const index = stack.findIndex((layer) => layer.handle === capture);
    if (index > 0) stack.unshift(...stack.splice(index, 1));
  }
  return routes;
}

/** The bytes rawBody() read (empty when it did not run). */
export function rawBodyOf(req: HttpRequest): Buffer {
  return (req as WithRawBody)[RAW_BODY] ?? Buffer.alloc(0);
}

function tooLarge(req: HttpRequest, res: ServerResponse, maxBytes: number): void {
  replyJson(
    res,
    413,
    { status: 'rejected', error: `The body is larger than ${maxBytes} bytes.` },
    { connection: 'close' },
  );
  // Stop reading: the client gets its 413 and the rest of the upload is dropped.
  req.resume();
}

/** Sends a status, headers and an optional JSON body. */
export function replyJson(
  res: ServerResponse,
  status: number,
  body: Readonly<Record<string, unknown>> | undefined,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.headersSent) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/** Removes the POST route `path` from the app (on close; a redeploy then adds it again). */
export function removePostRoute(app: HttpApp, path: string): void {
  const stack = app._router?.stack;
  if (stack === undefined) return;
  for (let index = stack.length - 1; index >= 0; index -= 1) {
    const route = stack[index]?.route;
    if (route !== undefined && route.path === path && route.methods.post === true) stack.splice(index, 1);
  }
}
