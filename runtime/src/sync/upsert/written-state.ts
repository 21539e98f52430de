import { canonicalJson, sha256Hex } from '../content-hash';

/**
 * What the id map remembers of our last write besides its content hash, kept in the id map row's
 * `sourceVersion` as a small JSON document: `{"v": "<source modified time>", "s": {field: digest},
 * "t": {field: digest}}`.
 * - `s`: a digest per top-level field of the source record last applied. It tells which fields the source
 *   changed since (for `merge`).
 * - `t`: a digest per field of what the target held after our write, only where that differs from `s`
 *   (after a merge kept a target value, or target_wins kept the target's record). Every other field the
 *   target holds as `s` says. Comparing the target's current record with `t`/`s` tells whether, and which
 *   fields, someone changed on the target side since our last write — which a single content hash cannot.
 * A digest is 16 hex characters of sha256 over the value's canonical JSON (same rules as the content hash):
 * ample to notice a change of one field, and ~20 bytes per field in the row.
 *
 * Rows without such a document (written by something else, or by an older version) decode with no field
 * digests: the target's changes cannot be told apart from the source's, so every differing field counts as
 * changed on both sides (a conflict) rather than being silently overwritten.
 */
export interface WrittenState {
  readonly version: string | undefined;
  readonly source: Readonly<Record<string, string>> | undefined;
  readonly target: Readonly<Record<string, string>>;
}

/** The digest of an absent field. */
export const ABSENT = '-';

export function digestOf(value: unknown): string {
  if (value === undefined) return ABSENT;
  return sha256Hex(canonicalJson(value)).slice(0, 16);
}

export function fieldDigests(data: Readonly<Record<string, unknown>>): Record<string, string> {
  const digests: Record<string, string> = {};
  for (const [field, value] of Object.entries(data)) {
    if (value !== undefined) digests[field] = digestOf(value);
  }
  return digests;
}

export function encodeWrittenState(state: WrittenState): string {
  const target = Object.keys(state.target).length > 0 ? { t: state.target } : {};
  return JSON.stringify({
    ...(state.version === undefined ? {} : { v: state.version }),
    s: state.source ?? {},
    ...target,
  });
}

export function decodeWrittenState(sourceVersion: string | undefined): WrittenState {
  if (sourceVersion !== undefined && sourceVersion.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(sourceVersion);
      if (isDocument(parsed)) {
        return { version: parsed.v, source: parsed.s, target: parsed.t ?? {} };
      }
    } catch {
      // Not our document: a plain source version that happens to start with a brace.
    }
  }
  return { version: sourceVersion, source: undefined, target: {} };
}

/** The digest of what the target held for `field` after our last write, undefined when unknown. */
export function targetBase(state: WrittenState, field: string): string | undefined {
  return state.target[field] ?? state.source?.[field] ?? (state.source ? ABSENT : undefined);
}

interface Document {
  readonly v?: string;
  readonly s: Record<string, string>;
  readonly t?: Record<string, string>;
}

function isDocument(value: unknown): value is Document {
  if (typeof value !== 'object' || value === null) return false;
  const doc = value as Record<string, unknown>;
  return (
    (doc.v === undefined || typeof doc.v === 'string') &&
    isDigestMap(doc.s) &&
    (doc.t === undefined || isDigestMap(doc.t))
  );
}

function isDigestMap(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((digest) => typeof digest === 'string')
  );
}
