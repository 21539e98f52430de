import { TaktError, toTaktError } from '../errors';
import type { IdMapping } from '../state/types';
import { contentHash, diffFields, isPlainObject, ownField } from '../sync/content-hash';
import {
  SIMULATED_ACTIONS,
  type SimulatedAction,
  type SimulatedRecord,
  type SimulationResult,
  type SimulationStore,
  type SimulationTarget,
} from './simulate-types';
import type { MapRecordResult, MappingDirection, MappingIssue } from './types';

export interface PlanInput {
  readonly records: readonly Readonly<Record<string, unknown>>[];
  readonly results: readonly MapRecordResult[];
  readonly direction: MappingDirection;
  readonly entity: string;
  readonly connection?: string;
  readonly source?: string;
  readonly store?: SimulationStore;
  readonly target?: SimulationTarget;
  readonly targetEntity?: string;
  readonly signal?: AbortSignal;
}

/** A mapped record with what the id map knows about it. */
interface Candidate {
  readonly index: number;
  readonly output: Record<string, unknown>;
  readonly externalId: string | undefined;
  readonly source: string | undefined;
  readonly hash: string;
}

/**
 * Predicts, per mapped record, what a sync would do — from the id map's content hash when there is a store,
 * from a read of the target by key when there is a target, else `create` — and changes nothing anywhere.
 *
 * The hash is taken over the record's canonical side (the mapped output inbound, the input record outbound):
 * the id map holds "the hash of the canonical content last written" (state/types.ts), so a sync that follows
 * that contract finds the same hash this predicts with.
 */
export async function planSimulation(input: PlanInput): Promise<SimulationResult> {
  if (input.store && !input.connection) {
    throw new TaktError('CONFIG_INVALID', 'Simulating against a state store needs the connection its id map uses.');
  }
  const keyFields = input.target ? targetKeyFields(input.target, input.targetEntity) : undefined;
  const candidates: Candidate[] = [];
  const simulated: (SimulatedRecord | undefined)[] = input.records.map(() => undefined);
  for (const result of input.results) {
    if (!result.ok) {
      simulated[result.index] = {
        index: result.index,
        output: undefined,
        issues: result.issues,
        action: 'error',
        reason: 'The record does not map.',
      };
      continue;
    }
    const canonical = input.direction === 'inbound' ? result.output : (input.records[result.index] ?? {});
    try {
      candidates.push({
        index: result.index,
        output: result.output,
        externalId: text(canonical['external_id']),
        source: input.source ?? text(canonical['external_source']),
        hash: contentHash(canonical),
      });
    } catch (error) {
      simulated[result.index] = failed(result.index, result.output, toTaktError(error), 'The record cannot be hashed.');
    }
  }

  const known = input.store
    ? await readIdMap(input.store, input.connection ?? '', input.entity, candidates)
    : undefined;
  for (const candidate of candidates) {
    const row =
      candidate.externalId === undefined ? undefined : known?.get(idKey(candidate.source, candidate.externalId));
    simulated[candidate.index] = await predict(candidate, row, input, keyFields);
  }
  const records = simulated.map((record, index) => record ?? internalGap(index));
  return { records, summary: summarize(records) };
}

async function predict(
  candidate: Candidate,
  row: IdMapping | undefined,
  input: PlanInput,
  keyFields: readonly string[] | undefined,
): Promise<SimulatedRecord> {
  const base = {
    index: candidate.index,
    output: candidate.output,
    issues: [],
    contentHash: candidate.hash,
    ...(candidate.externalId === undefined ? {} : { externalId: candidate.externalId }),
  };
  if (input.store && candidate.source === undefined) {
    const issue = {
      code: 'MAPPING_FIELD_REQUIRED',
      path: 'external_source',
      message: 'No source to look the record up by: set `source` or map external_source',
    };
    return { ...base, issues: [issue], action: 'error', reason: 'The id map cannot be read without a source.' };
  }
  if (row && row.contentHash === candidate.hash) {
    return {
      ...base,
      action: 'unchanged',
      targetId: row.targetId,
      reason: 'The content hash equals the one last written.',
    };
  }
  const key = input.target && keyFields ? keyOf(candidate.output, keyFields, row?.targetId) : undefined;
  if (!input.target || !key) {
    const unread = input.target ? ' The target was not read: the mapped record lacks its key fields.' : '';
    if (!row) return { ...base, action: 'create', reason: `The record is not in the id map.${unread}`.trim() };
    return {
      ...base,
      action: 'update',
      targetId: row.targetId,
      diff: [],
      diffBasis: 'hash-only',
      reason: `The content changed since it was last written; the previous content is not stored, so no field diff.${unread}`,
    };
  }
  let found: Readonly<Record<string, unknown>>[];
  try {
    found = await readByKey(input.target, input.targetEntity ?? '', key, input.signal);
  } catch (error) {
    return failed(candidate.index, candidate.output, toTaktError(error), 'The target could not be read.');
  }
  const targetId = row?.targetId ?? Object.values(key).join(',');
  if (found.length > 1) {
    return { ...base, action: 'conflict', targetId, reason: `The target has ${found.length} records with this key.` };
  }
  const current = found[0];
  if (!current) {
    if (!row) return { ...base, action: 'create', reason: 'Neither the id map nor the target knows the record.' };
    return {
      ...base,
      action: 'conflict',
      targetId,
      reason: 'The id map says the record was written, but the target has no record with its key.',
    };
  }
  const diff = diffFields(project(current, candidate.output), candidate.output);
  const action: SimulatedAction = diff.length === 0 ? 'unchanged' : 'update';
  const known = row ? 'The id map knows the record' : 'The record is not in the id map, but the target has it';
  const differs = diff.length === 0 ? 'holds the mapped values already' : `differs in ${diff.length} field(s)`;
  return { ...base, action, targetId, diff, diffBasis: 'target', reason: `${known}; the target ${differs}.` };
}

function targetKeyFields(target: SimulationTarget, entity: string | undefined): readonly string[] {
  const descriptor = target.entities().find((candidate) => candidate.name === entity);
  if (!descriptor) {
    throw new TaktError(
      'ENTITY_UNKNOWN',
      `The target does not know the entity "${entity ?? ''}"; set targetEntity to one of: ${target
        .entities()
        .map((e) => e.name)
        .join(', ')}.`,
    );
  }
  return descriptor.keyFields;
}

/** The target key from the mapped record's key fields; a single missing key falls back to the id map's target id. */
function keyOf(
  output: Record<string, unknown>,
  keyFields: readonly string[],
  targetId: string | undefined,
): Record<string, string> | undefined {
  const key: Record<string, string> = {};
  for (const field of keyFields) {
    const value = ownField(output, field);
    if (typeof value === 'string' || typeof value === 'number') key[field] = String(value);
    else if (keyFields.length === 1 && targetId !== undefined) key[field] = targetId;
    else return undefined;
  }
  return key;
}

async function readByKey(
  target: SimulationTarget,
  entity: string,
  key: Readonly<Record<string, string>>,
  signal: AbortSignal | undefined,
): Promise<Readonly<Record<string, unknown>>[]> {
  const found: Readonly<Record<string, unknown>>[] = [];
  for await (const page of target.read(entity, { key, ...(signal ? { signal } : {}) })) found.push(...page.records);
  return found;
}

/** The target record cut to the fields the mapping writes, so fields it does not map are not reported as removed. */
function project(
  current: Readonly<Record<string, unknown>>,
  shape: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const projected: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(shape)) {
    const existing = ownField(current, field);
    projected[field] = isPlainObject(value) && isPlainObject(existing) ? project(existing, value) : existing;
  }
  return projected;
}

async function readIdMap(
  store: SimulationStore,
  connection: string,
  entity: string,
  candidates: readonly Candidate[],
): Promise<Map<string, IdMapping>> {
  const bySource = new Map<string, string[]>();
  for (const { source, externalId } of candidates) {
    if (source === undefined || externalId === undefined) continue;
    bySource.set(source, [...(bySource.get(source) ?? []), externalId]);
  }
  const known = new Map<string, IdMapping>();
  for (const [source, ids] of bySource) {
    const rows = await store.getIdMappings({ connection, entity, source }, [...new Set(ids)]);
    for (const [externalId, row] of rows) known.set(idKey(source, externalId), row);
  }
  return known;
}

const idKey = (source: string | undefined, externalId: string): string => JSON.stringify([source ?? '', externalId]);

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  return typeof value === 'number' ? String(value) : undefined;
}

function failed(index: number, output: Record<string, unknown>, error: TaktError, reason: string): SimulatedRecord {
  const issue: MappingIssue = { code: error.code, path: String(error.details['path'] ?? ''), message: error.message };
  return { index, output, issues: [issue], action: 'error', reason };
}

/** The engine answers one result per input index; a gap is a defect, reported rather than hidden. */
function internalGap(index: number): SimulatedRecord {
  const issue = { code: 'INTERNAL', path: '', message: 'The mapping returned no result for this record.' };
  return { index, output: undefined, issues: [issue], action: 'error', reason: issue.message };
}

function summarize(records: readonly SimulatedRecord[]): SimulationResult['summary'] {
  const byAction = Object.fromEntries(SIMULATED_ACTIONS.map((action) => [action, 0])) as Record<
    SimulatedAction,
    number
  >;
  const byIssueCode: Record<string, number> = {};
  for (const record of records) {
    byAction[record.action] += 1;
    for (const issue of record.issues) byIssueCode[issue.code] = (byIssueCode[issue.code] ?? 0) + 1;
  }
  return { total: records.length, byAction, byIssueCode };
}
