import type { SimRecord } from '../model/edm';
import type { ValidationIssue } from '../model/entity-set';
import type { Undo } from '../data/data-store';
import { pickKey } from '../data/keys';
import { ERROR_CODES, methodNotAllowed, notFound, ODataError } from '../odata/odata-error';
import type { ODataContext } from '../odata/request-context';
import { fromWire, WireValueError, type WireOptions } from '../odata/wire-values';
import type { ExposedSet } from '../services';
import { etagOf } from './etag';

/**
 * Creates and updates, shared by V2, V4 and both $batch formats. Each successful write returns its undo so a
 * changeset can roll back (reference A.9); failures are ODataErrors with per-property details (A.10).
 */
export interface WriteOutcome {
  readonly record: SimRecord;
  readonly undo: Undo;
}

function validationError(issues: readonly ValidationIssue[]): ODataError {
  const first = issues[0];
  return new ODataError(
    400,
    ERROR_CODES.validation,
    first ? first.message : 'Validation failed',
    issues.map((i) => ({ code: ERROR_CODES.validation, message: i.message, target: i.property })),
  );
}

function parseBody(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ODataError(400, ERROR_CODES.badRequest, 'The request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ODataError(400, ERROR_CODES.badRequest, 'The request body must be a JSON object');
  }
  // V2 clients may wrap the payload in "d" (verbose JSON); Gateway accepts both.
  const object = parsed as Record<string, unknown>;
  const inner = object.d;
  return typeof inner === 'object' && inner !== null && !Array.isArray(inner)
    ? (inner as Record<string, unknown>)
    : object;
}

/** Body properties in internal form; unknown properties are errors, computed ones are dropped. */
function readInput(context: ODataContext, set: ExposedSet, body: Buffer, wire: WireOptions): SimRecord {
  const def = context.data.store(set.dataSet).def;
  const input: SimRecord = {};
  const issues: ValidationIssue[] = [];
  for (const [name, raw] of Object.entries(parseBody(body))) {
    if (name === '__metadata' || name.startsWith('@') || def.deepInsert?.includes(name)) continue;
    const property = def.properties.find((p) => p.name === name);
    if (!property) {
      issues.push({ property: name, message: `Property ${name} is invalid for ${set.name}` });
      continue;
    }
    if (property.computed) continue;
    try {
      input[name] = fromWire(property, raw, wire);
    } catch (error) {
      if (!(error instanceof WireValueError)) throw error;
      issues.push({ property: name, message: error.message });
    }
  }
  if (issues.length > 0) throw validationError(issues);
  return input;
}

function checkRules(context: ODataContext, set: ExposedSet, record: SimRecord): void {
  const def = context.data.store(set.dataSet).def;
  const issues = def.validate(record);
  if (issues.length > 0) throw validationError(issues);
  const injected = context.validationFault(set.name, record);
  if (injected) throw validationError([{ property: '', message: injected }]);
}

export function createEntity(context: ODataContext, set: ExposedSet, body: Buffer, wire: WireOptions): WriteOutcome {
  const store = context.data.store(set.dataSet);
  if (!store.def.writes.create) throw methodNotAllowed('POST', set.name);
  const input = readInput(context, set, body, wire);
  const created = store.def.create(input, {
    user: context.user,
    now: context.now(),
    exists: (key) => store.get(key) !== undefined,
    nextNumber: () => store.nextNumber(),
    lookup: (dataSet, key) => context.data.store(dataSet).get(key),
  });
  if (Array.isArray(created)) throw validationError(created);
  checkRules(context, set, created);
  const undo = store.put(created);
  context.journal?.push(undo);
  return { record: created, undo };
}

export interface UpdateRequest {
  readonly key: SimRecord;
  readonly body: Buffer;
  readonly ifMatch: string | undefined;
  /** PUT replaces every non-key property; PATCH and MERGE change only what the body names. */
  readonly replace: boolean;
  readonly method: string;
}

export function updateEntity(
  context: ODataContext,
  set: ExposedSet,
  request: UpdateRequest,
  wire: WireOptions,
): WriteOutcome {
  const store = context.data.store(set.dataSet);
  if (!store.def.writes.update) throw methodNotAllowed(request.method, set.name);
  const existing = store.get(request.key);
  if (!existing) throw notFound(`Resource not found for the segment '${set.name}'`);
  // Every simulated entity set carries ETags, so every update needs If-Match (reference A.8: 428, 412).
  if (request.ifMatch === undefined) {
    throw new ODataError(428, ERROR_CODES.preconditionRequired, 'Precondition required: send If-Match with the ETag');
  }
  const current = etagOf(existing);
  const accepted = request.ifMatch.split(',').map((t) => t.trim());
  if (!accepted.includes('*') && !accepted.includes(current)) {
    throw new ODataError(412, ERROR_CODES.preconditionFailed, 'Precondition failed: the entity was changed meanwhile');
  }
  const input = readInput(context, set, request.body, wire);
  for (const keyName of store.def.keys) {
    if (input[keyName] !== undefined && input[keyName] !== existing[keyName]) {
      throw validationError([{ property: keyName, message: `Key property ${keyName} cannot be changed` }]);
    }
  }
  let merged: SimRecord;
  if (request.replace) {
    merged = { ...pickKey(store.def.keys, existing) };
    for (const property of store.def.properties) {
      merged[property.name] = property.computed ? (existing[property.name] ?? null) : (input[property.name] ?? null);
    }
  } else {
    merged = { ...existing, ...input };
  }
  const updated = store.def.touch(merged, context.now());
  checkRules(context, set, updated);
  const undo = store.put(updated);
  context.journal?.push(undo);
  return { record: updated, undo };
}
