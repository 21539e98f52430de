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
  return write(value, [], new Set());
}

/**
 * `path` is one stack, pushed and popped around each field, copied only into an error: building a path per field
 * cost more than writing most fields. Array indexes stay numbers until then.
 */
function write(value: unknown, path: (string | number)[], seen: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(nfc(value));
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw refuse(path, `${String(value)} is not a JSON number`);
      return Object.is(value, -0) ? '0' : String(value);
    case 'object':
      break;
    default:
      throw refuse(path, `a ${typeof value} is not a JSON value`);
  }
  if (seen.has(value)) throw refuse(path, 'the value contains itself (a cycle)');
  seen.add(value);
  let text: string;
  if (Array.isArray(value)) {
    const elements: readonly unknown[] = value;
    text = '[';
    for (let index = 0; index < elements.length; index += 1) {
      if (index > 0) text += ',';
      const element = elements[index];
      if (element === undefined) {
        text += 'null';
      } else {
        path.push(index);
        text += write(element, path, seen);
        path.pop();
      }
    }
    text += ']';
  } else {
    if (!isPlainObject(value)) {
      throw refuse(path, `a ${value.constructor?.name ?? 'non-plain'} object is not a JSON value; convert it first`);
    }
    text = '{';
    const entries = sortedEntries(value, path);
    for (let index = 0; index < entries.length; index += 1) {
      const [key, field] = entries[index] as [string, unknown];
      if (index > 0) text += ',';
      path.push(key);
      text += `${JSON.stringify(key)}:${write(field, path, seen)}`;
      path.pop();
    }
    text += '}';
  }
  seen.delete(value);
  return text;
}

/** ASCII text is its own NFC form, and most field values and nearly all keys are ASCII: skip ICU for them. */
const NON_ASCII = /[\u0080-\uffff]/;

function nfc(text: string): string {
  return NON_ASCII.test(text) ? text.normalize('NFC') : text;
}

/** A surrogate code unit: only where one occurs does UTF-16 order differ from code-point order. */
const SURROGATE = /[\ud800-\udfff]/;

function sortedEntries(
  value: Readonly<Record<string, unknown>>,
  path: readonly (string | number)[],
): [string, unknown][] {
  const entries: [string, unknown][] = [];
  let renamed = false;
  let astral = false;
  for (const [rawKey, field] of Object.entries(value)) {
    if (field === undefined) continue;
    const key = nfc(rawKey);
    renamed ||= key !== rawKey;
    astral ||= SURROGATE.test(key);
    entries.push([key, field]);
  }
  // Distinct own keys can only collide once NFC changed one of them; most objects need no check.
  if (renamed) {
    const keys = new Set<string>();
    for (const [key] of entries) {
      if (keys.has(key)) throw refuse(path, `keys "${key}" appear twice once normalised to NFC`);
      keys.add(key);
    }
  }
  return entries.sort(astral ? ([a], [b]) => compareCodePoints(a, b) : ([a], [b]) => (a < b ? -1 : 1));
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

function refuse(path: readonly (string | number)[], reason: string): TaktError {
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
