import { createServer, type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultAction } from '../faults/fault-config';
import type { FaultController } from '../faults/fault-controller';
import { loggedHeaders, type RequestLog } from '../log/request-log';
import type { SimResponse, SimService } from '../service';
import { CONTROL_PREFIX, handleControl } from './control-endpoint';

/** Bodies above this are refused: a $batch of thousands of operations stays far below it. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface ServerParts {
  readonly services: readonly SimService[];
  readonly faults: FaultController;
  readonly requests: RequestLog;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, answer: SimResponse): void {
  const headers: Record<string, string | readonly string[]> = { ...(answer.headers ?? {}) };
  let payload: Buffer | undefined;
  if (answer.body !== undefined && answer.body !== null) {
    if (Buffer.isBuffer(answer.body)) payload = answer.body;
    else if (typeof answer.body === 'string') payload = Buffer.from(answer.body, 'utf8');
    else {
      payload = Buffer.from(JSON.stringify(answer.body), 'utf8');
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
        headers['content-type'] = 'application/json';
    }
  }
  if (payload) headers['content-length'] = String(payload.length);
  response.writeHead(answer.status, headers as Record<string, string | string[]>);
  response.end(payload);
}

/** The answer a failure fault gives instead of the service (a reset gives none). */
function failureResponse(action: Exclude<FaultAction, { type: 'latency' | 'reset' }>): SimResponse {
  const status = action.type === 'rate-limit' ? 429 : action.type === 'unavailable' ? 503 : action.status;
  const retryAfter = action.type === 'status' ? undefined : action.retryAfterSeconds;
  const defaultRetry = action.type === 'rate-limit' ? 1 : undefined;
  const seconds = retryAfter ?? defaultRetry;
  return {
    status,
    headers: { 'content-type': 'text/plain', ...(seconds === undefined ? {} : { 'retry-after': String(seconds) }) },
    body: `${STATUS_CODES[status] ?? 'Error'} (simulated)`,
  };
}

function findService(services: readonly SimService[], path: string): SimService | undefined {
  let best: SimService | undefined;
  for (const service of services) {
    const base = service.basePath.replace(/\/$/, '');
    if ((path === base || path.startsWith(`${base}/`)) && (!best || base.length > best.basePath.length)) best = service;
  }
  return best;
}

/**
 * The HTTP front: control endpoints first, then per request: faults decided, latency waited, a failure or
 * reset injected or the service's answer written, and one log entry either way.
 */
export function createSimServer(parts: ServerParts): Server {
  let nextId = 1;
  const startedAt = Date.now();
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const arrived = Date.now();
    const url = new URL(request.url ?? '/', 'http://simulator');
    const method = (request.method ?? 'GET').toUpperCase();
    const body = await readBody(request);
    if (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
      const targets = { ...parts, services: parts.services.map((s) => s.name), startedAt };
      send(response, handleControl(targets, method, url, body));
      return;
    }
    const id = nextId++;
    const service = findService(parts.services, url.pathname);
    const serviceName = service?.name ?? 'none';
    const decision = parts.faults.decide({ service: serviceName, method, path: url.pathname });
    const log = (status: number): void =>
      parts.requests.add({
        id,
        time: new Date(arrived).toISOString(),
        service: serviceName,
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: loggedHeaders(request.headers),
        status,
        durationMs: Date.now() - arrived,
        faults: decision.ruleIds,
      });
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    if (decision.failure?.type === 'reset') {
      log(0);
      request.socket.resetAndDestroy();
      return;
    }
    let answer: SimResponse;
    if (decision.failure) {
      answer = failureResponse(decision.failure);
    } else if (!service) {
      answer = {
        status: 404,
        headers: { 'content-type': 'text/plain' },
        body: `Nothing is simulated at ${url.pathname}`,
      };
    } else {
      const base = service.basePath.replace(/\/$/, '');
      const inner = new URL(`${url.pathname.slice(base.length) || '/'}${url.search}`, 'http://simulator');
      answer = await service.handle({ method, url: inner, headers: request.headers, body, id });
    }
    send(response, answer);
    log(answer.status);
  };
  return createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      send(response, {
        status: 500,
        headers: { 'content-type': 'text/plain' },
        body: `Simulator error: ${error instanceof Error ? error.message : String(error)}`,
      });
    });
  });
}
