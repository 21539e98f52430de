import type { FaultConfig, RequestLogEntry } from '@takt/erp-simulator';

/**
 * The messages between W5 and the MES simulator it runs in a child process (so the simulator's CPU and memory
 * are not the bench's). The child answers each question with the same `id`.
 */
export type MesQuestion =
  /** What the MES holds for one external_source, and what it did to get there. */
  | { readonly id: number; readonly type: 'holdings'; readonly entity: 'resources'; readonly source: string }
  /** Replaces the fault rules when `config` is given (PUT /__sim/faults: the seed restarts); answers their hits. */
  | { readonly id: number; readonly type: 'faults'; readonly config?: FaultConfig }
  /** The request log for one path pattern, then cleared. */
  | { readonly id: number; readonly type: 'requests'; readonly path: string }
  | { readonly id: number; readonly type: 'memory' };

export interface Holdings {
  /** Records stored with this source. */
  readonly records: number;
  /** Distinct (external_source, external_id) keys among them: equal to `records` unless the store broke. */
  readonly distinctKeys: number;
  /** Sync effects logged for this source, by action: each record applied once means created = records. */
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
}

export interface FaultHits {
  readonly rules: readonly { readonly id: string; readonly hits: number }[];
}

export type MesAnswer =
  | { readonly id: number; readonly type: 'holdings'; readonly holdings: Holdings }
  | { readonly id: number; readonly type: 'faults'; readonly hits: FaultHits }
  | {
      readonly id: number;
      readonly type: 'requests';
      readonly entries: readonly RequestLogEntry[];
      readonly dropped: number;
    }
  | { readonly id: number; readonly type: 'memory'; readonly rssMiB: number }
  | { readonly id: number; readonly type: 'error'; readonly message: string };

/** Sent once the simulator listens. */
export interface MesReady {
  readonly type: 'ready';
  /** The MES API root the sync paths are appended to. */
  readonly baseUrl: string;
}

/** The key the MES requires; loopback only, never a real credential. */
export const MES_API_KEY = 'bench-w5-key';
