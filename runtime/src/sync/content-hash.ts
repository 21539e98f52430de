import * as crypto from 'node:crypto';
import { TaktError } from '../errors';

/**
 * The canonical content hash of a mapped record: sha256 (lowercase hex) over a canonical JSON text, so two
 * records that mean the same JSON hash the same however they were built. The sync engine stores it in the id
 * map and skips a write when the new hash equals the stored one.
 *
 * Canonical JSON rules (close to RFC 8785, JCS):
 * - Object keys are sorted by Unicode code point (not UTF-16 code unit, which orders astral characters
 *   differently); a key whose value is `undefined` is dropped, as JSON.stringify drops it.
 * - Arrays keep their order; an `undefined` element is written `null`, as JSON.stringify does, because
 *   dropping it would move the elements after it.
 * - Numbers are written in the shortest form that reads back to the same double (ECMAScript's
 *   Number::toString), `-0` as `0`; NaN and ±Infinity are refused (RECORD_INVALID): JSON cannot carry them
 *   and silently writing `null` would hide a broken mapping.
 * - Strings, and keys, are NFC-normalised before they are written, so "é" typed as one code point and as
 *   e + combining accent hash alike. Two keys of one object that become equal under NFC are refused.
 * - Decimal strings stay strings, byte for byte: "1.50" and "1.5" hash differently. The hash covers exactly
 *   what the mapping produced; normalising a DECIMAL is the mapping's job, and a source that changes the
 *   spelling of a number registers as one (harmless) update.
 * - Only JSON values are accepted: plain objects, arrays, strings, finite numbers, booleans, null. A Date,
 *   Map, bigint, function or a cycle is refused (RECORD_INVALID) rather than guessed at.
 */
export function contentHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/**
 * Node's one-shot hash (Node ≥ 20.12) skips the Hash object createHash builds for every call, which costs more
 * than hashing a short field. The package asks for Node ≥ 20.18.1, but npm only warns about `engines`, so an
 * older Node still gets createHash; the digest is the same.
 */
const oneShotHash: typeof crypto.hash | undefined = crypto.hash;

/** sha256 of a text's UTF-8 bytes, as lowercase hex. */
export function sha256Hex(text: string): string {
  return oneShotHash
    ? oneShotHash('sha256', text, 'hex')
    : crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The canonical JSON text the hash is computed over (see contentHash for the rules). */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, [], new Set(), parts);
  return parts.join('');
}

function write(value: unknown, path: readonly string[], seen: Set<object>, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value.normalize('NFC')));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw refuse(path, `${String(value)} is not a JSON number`);
      out.push(Object.is(value, -0) ? '0' : String(value));
      return;
    case 'object':
      break;
    default:
      throw refuse(path, `a ${typeof value} is not a JSON value`);
  }
  if (seen.has(value)) throw refuse(path, 'the value contains itself (a cycle)');
  seen.add(value);
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((element: unknown, index) => {
      if (index > 0) out.push(',');
      if (element === undefined) out.push('null');
      else write(element, [...path, String(index)], seen, out);
    });
    out.push(']');
  } else {
    if (!isPlainObject(value)) {
      throw refuse(path, `a ${value.constructor?.name ?? 'non-plain'} object is not a JSON value; convert it first`);
    }
    out.push('{');
    sortedEntries(value, path).forEach(([key, field], index) => {
      if (index > 0) out.push(',');
      out.push(JSON.stringify(key), ':');
      write(field, [...path, key], seen, out);
    });
    out.push('}');
  }
  seen.delete(value);
}

function sortedEntries(value: object, path: readonly string[]): [string, unknown][] {
  const entries = new Map<string, unknown>();
  for (const [rawKey, field] of Object.entries(value)) {
    if (field === undefined) continue;
    const key = rawKey.normalize('NFC');
    if (entries.has(key)) throw refuse(path, `keys "${key}" appear twice once normalised to NFC`);
    entries.set(key, field);
  }
  return [...entries].sort(([a], [b]) => compareCodePoints(a, b));
}

/** Orders strings by Unicode code point; `<` on strings compares UTF-16 code units, which differs above U+FFFF. */
export function compareCodePoints(a: string, b: string): number {
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const x = left.next();
    const y = right.next();
    if (x.done || y.done) return x.done === y.done ? 0 : x.done ? -1 : 1;
    const diff = (x.value.codePointAt(0) ?? 0) - (y.value.codePointAt(0) ?? 0);
    if (diff !== 0) return diff;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function refuse(path: readonly string[], reason: string): TaktError {
  const where = path.length > 0 ? path.join('.') : '(record)';
  return new TaktError('RECORD_INVALID', `Cannot hash the record: at ${where}, ${reason}.`, {
    details: { path: path.join('.') },
  });
}

/** One field that differs between two versions of a record. */
export interface FieldChange {
  /** Dot path of the field ("quantity", "extra.colour"). */
  readonly path: string;
  /** The old value; `undefined` when the field was absent. */
  readonly before: unknown;
  /** The new value; `undefined` when the field is gone. */
  readonly after: unknown;
}

/**
 * The fields that differ between two records, sorted by path. Nested plain objects are compared field by
 * field; arrays and scalars are compared whole, by the same rules as the hash (so NFC-equal strings, `0`
 * and `-0`, and an absent vs. an `undefined` field are not changes, while `null` vs. absent is).
 */
export function diffFields(before: unknown, after: unknown): FieldChange[] {
  const changes: FieldChange[] = [];
  collect(before, after, [], changes);
  return changes.sort((a, b) => compareCodePoints(a.path, b.path));
}

function collect(before: unknown, after: unknown, path: readonly string[], out: FieldChange[]): void {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) collect(ownField(before, key), ownField(after, key), [...path, key], out);
    return;
  }
  if (sameValue(before, after)) return;
  out.push({ path: path.join('.'), before, after });
}

/** A record's own field: a key such as "valueOf" must not reach Object.prototype. */
export function ownField(record: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonicalJson(a) === canonicalJson(b);
}
