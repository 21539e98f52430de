import type { FaultConfig } from '../faults/fault-config';
import type { FaultController } from '../faults/fault-controller';
import { FaultConfigError } from '../faults/validate-fault-config';
import type { RequestLog } from '../log/request-log';
import type { SimResponse } from '../service';

export const CONTROL_PREFIX = '/__sim';

export interface ControlTargets {
  readonly faults: FaultController;
  readonly requests: RequestLog;
  readonly services: readonly string[];
  readonly startedAt: number;
}

const json = (status: number, body: unknown): SimResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body,
});

/**
 * The simulator's own endpoints, never faulted and never logged:
 *   GET /__sim/health                   → { status, services, uptimeMs }
 *   GET|PUT|DELETE /__sim/faults        → the fault config (PUT replaces it, DELETE clears it)
 *   GET|DELETE /__sim/requests          → the request log (?service=&method=&path= narrow it)
 */
export function handleControl(targets: ControlTargets, method: string, url: URL, body: Buffer): SimResponse {
  const path = url.pathname.slice(CONTROL_PREFIX.length);
  if (path === '/health' && method === 'GET') {
    return json(200, { status: 'ok', services: targets.services, uptimeMs: Date.now() - targets.startedAt });
  }
  if (path === '/faults') {
    if (method === 'GET') return json(200, targets.faults.snapshot());
    if (method === 'DELETE') {
      targets.faults.clear();
      return { status: 204 };
    }
    if (method === 'PUT') {
      let config: FaultConfig;
      try {
        config = JSON.parse(body.toString('utf8') || '{}') as FaultConfig;
        targets.faults.set(config);
      } catch (error) {
        const message =
          error instanceof FaultConfigError || error instanceof SyntaxError ? error.message : String(error);
        return json(400, { error: message });
      }
      return json(200, targets.faults.snapshot());
    }
    return json(405, { error: `${method} is not supported on ${url.pathname}` });
  }
  if (path === '/requests') {
    if (method === 'GET') {
      const service = url.searchParams.get('service') ?? undefined;
      const requestMethod = url.searchParams.get('method') ?? undefined;
      const pathPattern = url.searchParams.get('path');
      let pattern: RegExp | undefined;
      try {
        pattern = pathPattern ? new RegExp(pathPattern) : undefined;
      } catch {
        return json(400, { error: `Invalid path pattern ${pathPattern ?? ''}` });
      }
      const entries = targets.requests.list({
        ...(service ? { service } : {}),
        ...(requestMethod ? { method: requestMethod } : {}),
        ...(pattern ? { path: pattern } : {}),
      });
      return json(200, { dropped: targets.requests.droppedCount, entries });
    }
    if (method === 'DELETE') {
      targets.requests.clear();
      return { status: 204 };
    }
    return json(405, { error: `${method} is not supported on ${url.pathname}` });
  }
  return json(404, { error: `No control endpoint ${url.pathname}` });
}
