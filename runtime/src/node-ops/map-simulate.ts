import { CANONICAL_ENTITIES } from '../entities';
import { TaktError } from '../errors';
import {
  simulateMapping,
  targetShapeEntity,
  type MappingIssue,
  type SimulatedRecord,
  type SimulationStore,
} from '../mapping';
import { contentHash, IDENTITY_KEY_FIELDS, upsertKeyOf, type UpsertRecordKey } from '../sync';
import { decodeWrittenState, digestOf } from '../sync/upsert/written-state';
import type { IdMapping } from '../state';
import { withoutItemMeta } from './item-meta';
import type { PreparedMapping } from './map';

export interface SimulateMapOptions {
  /** The state store Upsert Sync will use: its id map predicts the action. Without it every record is `create`. */
  readonly store?: SimulationStore;
  /** The connection name Upsert Sync will use ("mes"). */
  readonly connection: string;
  /** The target entity Upsert Sync will write ("jobs", "production-orders"): the id map is keyed by it. */
  readonly entity: string;
  /** Upsert Sync's key fields; default external_source + external_id. */
  readonly keyFields?: readonly string[];
  /** Upsert Sync's source, which custom key fields need (the id map's namespace). */
  readonly source?: string;
  readonly signal?: AbortSignal;
}

export type PredictedAction = 'create' | 'update' | 'unchanged' | 'error';

export interface SimulatedItem {
  readonly index: number;
  /** The mapped record; undefined when it does not map. */
  readonly mapped: Record<string, unknown> | undefined;
  readonly issues: readonly MappingIssue[];
  readonly predictedAction: PredictedAction;
  /** One sentence: why. */
  readonly reason: string;
  /** For `update`: the top-level fields whose value differs from what was last written. */
  readonly changedFields?: readonly string[];
  /** The id map's key of the record, as Upsert Sync will look it up. */
  readonly externalId?: string;
  readonly targetId?: string;
}

/**
 * A dry run of the mapping followed by what Upsert Sync would do with each mapped record, writing nothing.
 * simulateMapping maps, validates and resolves references read-only; the prediction then follows Upsert
 * Sync's own rules — the same key (upsertKeyOf with these key fields and source), the same content hash over
 * the record as it is sent (child arrays such as a job's `parts` are written as records of their own and are
 * not part of it), the same id map entity — so "unchanged" here means Upsert Sync sends nothing. Changed
 * fields come from the per-field digests the id map row keeps of the last write. Nested children get no
 * prediction of their own.
 */
export async function simulate(
  prepared: PreparedMapping,
  records: readonly unknown[],
  options: SimulateMapOptions,
): Promise<SimulatedItem[]> {
  if (options.store && options.connection.trim() === '') {
    throw new TaktError(
      'CONFIG_INVALID',
      'Simulating against the state store needs the connection name Upsert Sync uses.',
    );
  }
  if (options.entity.trim() === '') {
    throw new TaktError('CONFIG_INVALID', 'Simulating needs the target entity Upsert Sync writes (e.g. "jobs").');
  }
  const inputs = records.map((record) =>
    typeof record === 'object' && record !== null && !Array.isArray(record)
      ? withoutItemMeta(record as Record<string, unknown>)
      : {},
  );
  // The entity check runs below with the nesting-aware validator (a job may carry its parts), so the dry run
  // gets the spec under a name that is no canonical entity and does not check with the flat schema.
  const dryRun = await simulateMapping({
    mapping: { ...prepared.spec, canonical: UNCHECKED },
    direction: prepared.direction,
    records: inputs,
    entity: options.entity,
    connection: options.connection,
    ...(options.source !== undefined ? { source: options.source } : {}),
    ...(options.store ? { store: options.store } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const keyFields = options.keyFields && options.keyFields.length > 0 ? options.keyFields : IDENTITY_KEY_FIELDS;
  // A target shape ("mes-sync/jobs") nests like its canonical entity: Upsert Sync splits a job's parts off.
  const nesting = targetShapeEntity(prepared.canonical) ?? prepared.canonical;
  const childFields = childFieldsOf(prepared.direction === 'inbound' ? nesting : undefined);
  const planned = dryRun.records.map((record) =>
    plan(checked(prepared, record, inputs[record.index]), records[record.index], keyFields, childFields, options),
  );
  const known = options.store ? await readIdMap(options.store, options.connection, planned) : new Map();
  return planned.map((item) => ('item' in item ? item.item : predict(item, known.get(idKey(item.key)))));
}

const UNCHECKED = 'unchecked-record';

/** The record with the entity's issues: of the mapped output inbound, of the canonical input outbound. */
function checked(prepared: PreparedMapping, record: SimulatedRecord, input: unknown): SimulatedRecord {
  if (!prepared.validator || record.output === undefined) return record;
  const issues = prepared.validator(prepared.direction === 'inbound' ? record.output : input);
  if (issues.length === 0) return record;
  const reason =
    prepared.direction === 'inbound'
      ? 'The mapped record breaks its entity schema.'
      : 'The input record breaks its entity schema.';
  return { ...record, issues: [...issues, ...record.issues], action: 'error', reason };
}

interface Keyed {
  readonly index: number;
  readonly mapped: Record<string, unknown>;
  readonly data: Record<string, unknown>;
  readonly key: UpsertRecordKey;
}

function plan(
  record: SimulatedRecord,
  input: unknown,
  keyFields: readonly string[],
  childFields: ReadonlySet<string>,
  options: SimulateMapOptions,
): Keyed | { readonly item: SimulatedItem } {
  const mapped = record.output;
  if (record.action === 'error' || mapped === undefined) {
    const reason = typeof input === 'object' && input !== null ? record.reason : 'The item is not a JSON object.';
    return { item: { index: record.index, mapped, issues: record.issues, predictedAction: 'error', reason } };
  }
  const data = Object.fromEntries(Object.entries(mapped).filter(([field]) => !childFields.has(field)));
  const key = upsertKeyOf(options.entity, data, keyFields, options.source);
  if ('code' in key) {
    const issue: MappingIssue = { code: key.code, path: keyFields.join(', '), message: key.message };
    const reason = 'Upsert Sync could not key the record, so it would fail it.';
    return { item: { index: record.index, mapped, issues: [issue], predictedAction: 'error', reason } };
  }
  return { index: record.index, mapped, data, key };
}

function predict(item: Keyed, row: IdMapping | undefined): SimulatedItem {
  const base = { index: item.index, mapped: item.mapped, issues: [], externalId: item.key.externalId };
  if (!row)
    return { ...base, predictedAction: 'create', reason: 'The record is not in the id map: it would be created.' };
  const hash = contentHash(item.data);
  if (hash === row.contentHash) {
    return {
      ...base,
      predictedAction: 'unchanged',
      targetId: row.targetId,
      reason: 'The content hash equals the one last written: nothing would be sent.',
    };
  }
  const digests = decodeWrittenState(row.sourceVersion).source;
  const changedFields = digests
    ? [...new Set([...Object.keys(digests), ...Object.keys(item.data)])]
        .filter((field) => (digests[field] ?? digestOf(undefined)) !== digestOf(item.data[field]))
        .sort()
    : undefined;
  return {
    ...base,
    predictedAction: 'update',
    targetId: row.targetId,
    ...(changedFields ? { changedFields } : {}),
    reason: changedFields
      ? `The content changed since it was last written, in ${changedFields.length} field(s).`
      : 'The content changed since it was last written; the id map keeps no field digests to say which fields.',
  };
}

/** The fields holding nested children of a canonical entity (a job's `parts`), as Upsert Sync nests them. */
function childFieldsOf(canonical: string | undefined): ReadonlySet<string> {
  if (canonical === undefined) return new Set();
  const fields = Object.entries(CANONICAL_ENTITIES)
    .filter(([, definition]) => 'parent' in definition && definition.parent.entity === canonical)
    .map(([name]) => `${name}s`);
  return new Set(fields);
}

async function readIdMap(
  store: SimulationStore,
  connection: string,
  planned: readonly (Keyed | { readonly item: SimulatedItem })[],
): Promise<Map<string, IdMapping>> {
  const groups = new Map<string, { entity: string; source: string; ids: Set<string> }>();
  for (const item of planned) {
    if ('item' in item) continue;
    const group = JSON.stringify([item.key.entity, item.key.source]);
    const existing = groups.get(group) ?? { entity: item.key.entity, source: item.key.source, ids: new Set<string>() };
    existing.ids.add(item.key.externalId);
    groups.set(group, existing);
  }
  const known = new Map<string, IdMapping>();
  for (const { entity, source, ids } of groups.values()) {
    const rows = await store.getIdMappings({ connection, entity, source }, [...ids]);
    for (const [externalId, row] of rows) known.set(idKey({ entity, source, externalId }), row);
  }
  return known;
}

const idKey = (key: UpsertRecordKey): string => JSON.stringify([key.entity, key.source, key.externalId]);
