import type { Connector } from '../connectors/types';
import type { StateStore } from '../state/types';
import type { FieldChange } from '../sync/content-hash';
import type { MappingDirection, MappingIssue, MappingSpec } from './types';

/**
 * What a dry run may touch: the id map, read by external id, and the target, read by key. Typed this narrowly
 * so that no write can be added to the simulation by accident; a full StateStore or Connector fits.
 */
export type SimulationStore = Pick<StateStore, 'getIdMappings'>;
export type SimulationTarget = Pick<Connector, 'read' | 'entities'>;

export interface SimulateOptions {
  /** Input records: ERP records inbound, canonical records outbound. */
  readonly records: readonly Readonly<Record<string, unknown>>[];
  readonly mapping: MappingSpec;
  readonly direction: MappingDirection;
  /** The canonical entity the id map is keyed by; default the mapping's `canonical`. */
  readonly entity?: string;
  /** The connection the id map rows belong to; needed with a store. */
  readonly connection?: string;
  /** `external_source` of the records; default each record's own external_source. */
  readonly source?: string;
  /** Predicts from the id map's content hashes and resolves REFERENCE fields, read-only. */
  readonly store?: SimulationStore;
  /** Reads the current target record by key, to diff against it. */
  readonly target?: SimulationTarget;
  /** The target connector's entity name; default the mapping's erpEntity outbound, the canonical entity inbound. */
  readonly targetEntity?: string;
  readonly signal?: AbortSignal;
}

/**
 * What the sync would do with the record: `create` (not known to the target), `update` (known, content
 * differs), `unchanged` (known, same content), `conflict` (the id map and the target disagree), `error` (the
 * record does not map, or the target could not be read).
 */
export type SimulatedAction = 'create' | 'update' | 'unchanged' | 'conflict' | 'error';

export const SIMULATED_ACTIONS: readonly SimulatedAction[] = ['create', 'update', 'unchanged', 'conflict', 'error'];

/**
 * Where an update's diff comes from: the target record read by key (`target`), or nowhere because only the
 * id map's hash was available (`hash-only`: the content changed since it was last written, but the previous
 * content is not stored, so the diff is empty).
 */
export type DiffBasis = 'target' | 'hash-only';

export interface SimulatedRecord {
  readonly index: number;
  /** The mapped record; undefined when mapping failed. */
  readonly output: Record<string, unknown> | undefined;
  readonly issues: readonly MappingIssue[];
  readonly action: SimulatedAction;
  /** One sentence: why this action was predicted. */
  readonly reason: string;
  /** The record's external id (canonical side), when it has one. */
  readonly externalId?: string;
  /** The target's id, from the id map or the target read. */
  readonly targetId?: string;
  /** For `update` (and `unchanged` against a target): the mapped fields whose value differs, before → after. */
  readonly diff?: readonly FieldChange[];
  readonly diffBasis?: DiffBasis;
  /** The hash the sync would store for the record (of its canonical side; see simulate.ts). */
  readonly contentHash?: string;
}

export interface SimulationSummary {
  readonly total: number;
  readonly byAction: Readonly<Record<SimulatedAction, number>>;
  /** Issue code → number of issues with it, over all records. */
  readonly byIssueCode: Readonly<Record<string, number>>;
}

export interface SimulationResult {
  readonly records: readonly SimulatedRecord[];
  readonly summary: SimulationSummary;
}
