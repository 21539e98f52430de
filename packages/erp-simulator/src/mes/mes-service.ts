import { timingSafeEqual } from 'node:crypto';

import type { SimRequest, SimResponse, SimService } from '../service';
import { ENTITY_SPECS, MAX_BULK_RECORDS, entityForRoute, type MesEntity } from './entities';
import { Prng } from './prng';
import { FixedWindowLimiter, type MesRateLimit } from './rate-limit';
import { failure, success } from './responses';
import { seedMesData } from './seed-data';
import { MesStore, type EffectCounts, type MesEffect, type MesRecord } from './store';
import { validateRecord } from './validate';

export interface MesServiceOptions {
  /** Seeds the factory data and the ids the MES hands out, so runs repeat exactly. */
  readonly seed: number;
  /** Seeded jobs (with parts and operations) present before any sync; 0 for an empty MES. */
  readonly size: number;
  /** When set, every request needs `Authorization: Bearer <apiKey>`; when absent the API is open. */
  readonly apiKey?: string;
  /** Default 1000 requests per 60 s: headers on every answer, 429 beyond it. */
  readonly rateLimit?: MesRateLimit;
  /** Time source for the rate-limit window (ms since the epoch); tests pass a fake. */
  readonly now?: () => number;
}

/** What tests read besides the wire: effects per entity (exactly-once checks) and the stored records. */
export interface MesTestHandles {
  counts(entity: MesEntity): EffectCounts;
  /** Every sync effect in the order applied; parents before children within a nested record. */
  effects(): readonly MesEffect[];
  record(entity: MesEntity, externalId: string, externalSource: string): MesRecord | undefined;
  records(entity: MesEntity): MesRecord[];
}

export type MesService = SimService & MesTestHandles;

export const MES_BASE_PATH = '/mes/api/v1';
const DEFAULT_RATE_LIMIT: MesRateLimit = { limit: 1000, windowSeconds: 60 };
const ROUTE = /^\/(api-[a-z]+)\/(sync|bulk-sync)\/?$/;

interface RecordResult {
  readonly external_id: string | null;
  readonly action: 'created' | 'updated' | 'error';
  readonly id?: string;
  readonly error?: string;
}

/**
 * The MES sync API: `PUT /api-<entity>/sync` upserts one record by (external_id, external_source) and answers
 * 201 created / 200 updated with the MES id; `POST /api-<entity>/bulk-sync` takes `{ "<entity>": [...] }` (at
 * most 1000) and answers one result per record, in order, where a bad record fails alone. Jobs may carry their
 * parts and operations nested; those land parent first. Every answer carries the X-RateLimit-* headers.
 */
export function createMesService(options: MesServiceOptions): MesService {
  const random = new Prng(options.seed);
  const store = new MesStore(random);
  seedMesData(store, random, options.size);
  const limiter = new FixedWindowLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT, options.now ?? Date.now);
  const expectedAuth = options.apiKey === undefined ? undefined : Buffer.from(`Bearer ${options.apiKey}`);

  const route = (request: SimRequest): SimResponse => {
    const match = ROUTE.exec(request.url.pathname);
    const entity = match?.[1] === undefined ? undefined : entityForRoute(match[1]);
    if (!match || !entity) {
      return failure(404, 'NOT_FOUND', `No endpoint at ${request.url.pathname}`);
    }
    const bulk = match[2] === 'bulk-sync';
    const method = bulk ? 'POST' : 'PUT';
    if (request.method.toUpperCase() !== method) {
      return failure(405, 'METHOD_NOT_ALLOWED', `Use ${method} for ${request.url.pathname}`, { allow: method });
    }
    let body: unknown;
    try {
      body = JSON.parse(request.body.toString('utf8'));
    } catch {
      return failure(400, 'VALIDATION_ERROR', 'Request body must be valid JSON');
    }
    return bulk ? bulkSync(entity, body) : singleSync(entity, body);
  };

  const singleSync = (entity: MesEntity, body: unknown): SimResponse => {
    const result = syncOne(entity, body);
    if (result.action === 'error') return failure(400, 'VALIDATION_ERROR', result.error ?? 'Invalid record');
    return success(result.action === 'created' ? 201 : 200, result);
  };

  const bulkSync = (entity: MesEntity, body: unknown): SimResponse => {
    const key = ENTITY_SPECS[entity].bulkKey;
    const list = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined;
    if (!Array.isArray(list)) {
      return failure(400, 'VALIDATION_ERROR', `Request body must hold the records in a "${key}" array`);
    }
    if (list.length > MAX_BULK_RECORDS) {
      return failure(
        413,
        'PAYLOAD_TOO_LARGE',
        `Bulk sync accepts at most ${MAX_BULK_RECORDS} records per request (got ${list.length})`,
      );
    }
    const results = list.map((record) => syncOne(entity, record));
    const count = (action: RecordResult['action']): number => results.filter((r) => r.action === action).length;
    return success(200, {
      total: results.length,
      created: count('created'),
      updated: count('updated'),
      errors: count('error'),
      results,
    });
  };

  const syncOne = (entity: MesEntity, input: unknown): RecordResult => {
    const sent = (input as { external_id?: unknown } | null)?.external_id;
    const externalId = typeof sent === 'string' ? sent : null;
    const checked = validateRecord(entity, input);
    if (!checked.ok) return { external_id: externalId, action: 'error', error: checked.message };
    const applied = store.apply(checked.record);
    if (!applied.ok) return { external_id: externalId, action: 'error', error: applied.message };
    return { external_id: externalId, id: applied.id, action: applied.action };
  };

  const authorized = (request: SimRequest): boolean => {
    if (!expectedAuth) return true;
    const given = Buffer.from(String(request.headers.authorization ?? ''));
    return given.length === expectedAuth.length && timingSafeEqual(given, expectedAuth);
  };

  return {
    name: 'mes',
    basePath: MES_BASE_PATH,
    handle(request) {
      const rate = limiter.take();
      if (!rate.allowed) {
        const retryAfter = String(rate.retryAfterSeconds);
        return failure(429, 'RATE_LIMIT_EXCEEDED', `Rate limit exceeded; retry in ${retryAfter} s`, {
          ...rate.headers,
          'retry-after': retryAfter,
        });
      }
      const response = authorized(request)
        ? route(request)
        : failure(401, 'UNAUTHORIZED', 'Missing or invalid API key', { 'www-authenticate': 'Bearer' });
      return { ...response, headers: { ...response.headers, ...rate.headers } };
    },
    counts: (entity) => store.counts(entity),
    effects: () => [...store.effects()],
    record: (entity, externalId, externalSource) => store.get(entity, externalId, externalSource),
    records: (entity) => store.list(entity),
  };
}
