import type { HttpConnectionOptions } from '../../http';
import type { Logger } from '../../log';
import type { RecordAction } from '../types';

/** How the target authenticates a client. Secret values are masked in every message and log. */
export type RestAuth =
  | { readonly type: 'none' }
  /** A key in a header of its own (`X-API-Key: <value>`), optionally behind a prefix. */
  | { readonly type: 'apiKey'; readonly header: string; readonly value: string; readonly prefix?: string }
  | { readonly type: 'bearer'; readonly token: string }
  | { readonly type: 'basic'; readonly username: string; readonly password: string };

export type UpsertMethod = 'PUT' | 'POST' | 'PATCH';

/** Where a target's answers keep what the connector reads, as dot paths (see json-path.ts). */
export interface ResultPaths {
  /** The result object of a single upsert (`data`). */
  readonly single: string;
  /** The array of per-record results of a bulk upsert (`data.results`), one per record sent, in order. */
  readonly bulk: string;
  /** Inside one result. */
  readonly action: string;
  readonly id: string;
  /** A string, or an object with a `message`. */
  readonly error: string;
  /** The record's key echoed back; checked against what was sent so a reordered answer is caught. */
  readonly key?: string;
  /** The record's position echoed back, when the target numbers its results; positional otherwise. */
  readonly index?: string;
  /** The target's message in the body of a rejected single upsert (`error.message`). */
  readonly rejection: string;
  /** The target's action words, when they are not Takt's (`{ inserted: 'created' }`). */
  readonly actions?: Readonly<Record<string, RecordAction>>;
}

export interface BulkEndpoint {
  readonly path: string;
  /** Default POST. */
  readonly method?: UpsertMethod;
  /** Where the records array sits in the request body (`jobs` → `{ "jobs": [...] }`; '' sends the bare array). */
  readonly recordsPath: string;
  /** The most records the target takes in one call; `WriteOptions.batchSize` may only lower it. */
  readonly maxRecords: number;
}

/**
 * Nested children (a job's parts, a part's operations). `inline`: the target takes the tree in one record and
 * applies it parent first itself. `split`: the connector sends parents, then the children of the parents that
 * succeeded to the child entity's endpoint, with `parentKeyField` set from the parent's key.
 */
export interface NestedChildren {
  readonly field: string;
  readonly entity: string;
  readonly mode: 'inline' | 'split';
  /** In split mode: the child property naming its parent (`job_external_id`). */
  readonly parentKeyField: string;
  /** In split mode: parent properties a child takes when it lacks them (`external_source`). */
  readonly inherit?: readonly string[];
}

export interface RestEntityConfig {
  readonly name: string;
  readonly title: string;
  /** The canonical entity a preset maps it to. */
  readonly canonical?: string;
  /** Identify a record; every one must be present in each record written. The first is echoed in results. */
  readonly keyFields: readonly string[];
  readonly single?: { readonly path: string; readonly method?: UpsertMethod };
  readonly bulk?: BulkEndpoint;
  readonly children?: NestedChildren;
  /** Overrides of the connector-wide result paths for this entity. */
  readonly results?: Partial<ResultPaths>;
}

/** Headers a target uses to announce its remaining budget; when Remaining reaches 0 the connector waits for Reset. */
export interface RateLimitHeaderNames {
  readonly remaining: string;
  /** Unix seconds, Unix milliseconds or seconds from now: told apart by size. */
  readonly reset: string;
}

export interface RestUpsertConfig {
  /** For messages and job records; default "mes-rest". */
  readonly kind?: string;
  /** Names the connection: callers sharing it share one rate limit and pause. Never a secret. */
  readonly connectionId: string;
  readonly baseUrl: string;
  readonly auth: RestAuth;
  readonly entities: readonly RestEntityConfig[];
  readonly results: ResultPaths;
  /** A request that proves reachability and credentials without changing anything. */
  readonly test?: { readonly path: string; readonly method?: string; readonly body?: unknown };
  /** Default X-RateLimit-Remaining / X-RateLimit-Reset; `false` ignores them. */
  readonly rateLimitHeaders?: RateLimitHeaderNames | false;
  /** Transport, retry, client-side rate limit, clock, and the undici dispatcher for contract tests. */
  readonly http?: Omit<HttpConnectionOptions, 'id' | 'baseUrl' | 'defaultHeaders'>;
  readonly logger?: Logger;
}

export const DEFAULT_RATE_LIMIT_HEADERS: RateLimitHeaderNames = {
  remaining: 'x-ratelimit-remaining',
  reset: 'x-ratelimit-reset',
};
