import type { Logger } from '../../log';
import type { RestEntityConfig, RestUpsertConfig } from './config';

/**
 * The order an initial load must follow so every reference resolves: cells and resources and jobs stand alone,
 * parts need their job, operations their part and a cell by name.
 */
export const MES_SYNC_DEPENDENCY_ORDER = ['cells', 'resources', 'jobs', 'parts', 'operations'] as const;

/** The vendor's cap on one bulk-sync request. */
export const MES_SYNC_MAX_BULK = 1000;

export interface MesSyncApiOptions {
  /** Names the connection (the credential or config-node id); callers sharing it share one rate limit. */
  readonly connectionId: string;
  /** The API root the `/api-<entity>/sync` paths are appended to. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <key>`. */
  readonly apiKey: string;
  /** Records per bulk call, at most (and by default) 1000. */
  readonly maxBulkRecords?: number;
  /**
   * How a job's parts and a part's operations travel: `inline` (default) in the parent record, which the MES
   * applies parent first in one call; `split` as separate calls, parents first, for keys whose scope does not
   * include nested writes or trees too large for one request.
   */
  readonly nesting?: 'inline' | 'split';
  readonly http?: RestUpsertConfig['http'];
  readonly logger?: Logger;
}

/**
 * The REST upsert configuration for an MES sync API in the style of the seed's reference: upsert by
 * (external_id, external_source) with `PUT /api-<entity>/sync`, `POST /api-<entity>/bulk-sync` with
 * `{ "<entity>": [...] }` answered by `data.results[]` in order, errors as `{ success: false, error: { code,
 * message } }`, and X-RateLimit-* headers on every answer.
 */
export function mesSyncApiProfile(options: MesSyncApiOptions): RestUpsertConfig {
  const maxRecords = Math.min(options.maxBulkRecords ?? MES_SYNC_MAX_BULK, MES_SYNC_MAX_BULK);
  const nesting = options.nesting ?? 'inline';
  const entity = (
    name: (typeof MES_SYNC_DEPENDENCY_ORDER)[number],
    title: string,
    canonical: string,
    extra: Partial<RestEntityConfig> = {},
  ): RestEntityConfig => ({
    name,
    title,
    canonical,
    keyFields: ['external_id', 'external_source'],
    single: { path: `/api-${name}/sync`, method: 'PUT' },
    bulk: { path: `/api-${name}/bulk-sync`, method: 'POST', recordsPath: name, maxRecords },
    ...extra,
  });
  return {
    kind: 'mes-rest',
    connectionId: options.connectionId,
    baseUrl: options.baseUrl,
    auth: { type: 'bearer', token: options.apiKey },
    entities: [
      entity('cells', 'Cells (work centers)', 'work_center'),
      entity('resources', 'Resources (equipment, tooling)', 'resource'),
      entity('jobs', 'Jobs (sales orders)', 'job', {
        children: {
          field: 'parts',
          entity: 'parts',
          mode: nesting,
          parentKeyField: 'job_external_id',
          inherit: ['external_source'],
        },
      }),
      entity('parts', 'Parts (work orders)', 'part', {
        children: {
          field: 'operations',
          entity: 'operations',
          mode: nesting,
          parentKeyField: 'part_external_id',
          inherit: ['external_source'],
        },
      }),
      entity('operations', 'Operations (routing steps)', 'operation'),
    ],
    results: {
      single: 'data',
      bulk: 'data.results',
      action: 'action',
      id: 'id',
      error: 'error',
      key: 'external_id',
      rejection: 'error.message',
    },
    // An empty bulk sync changes nothing but still needs a valid key: the cheapest honest credential check.
    test: { method: 'POST', path: '/api-cells/bulk-sync', body: { cells: [] } },
    ...(options.http ? { http: options.http } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  };
}
