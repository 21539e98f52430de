import { TaktError } from '../../errors';
import { isoDate, isoLocal, parseInstant } from './odata-date';
import { stringLiteral } from './odata-literal';
import type { ODataVersion } from './odata-version';

/** How a key property is written in a predicate; most SAP keys are Edm.String (NUMC/CHAR with conversion exits). */
export type KeyType = 'string' | 'number' | 'guid' | 'datetime' | 'datetimeoffset' | 'date';

/**
 * The key predicate of one entity, URL-ready: `('1000000')` for a single key,
 * `(Equipment='10000000',ValidityEndDate=datetime'9999-12-31T00%3A00%3A00')` for a composite one (reference
 * A.7, A.11 API_EQUIPMENT). Values are percent-encoded inside their literal, so a key holding `/`, `#`, `?` or
 * a space cannot change the path; quotes are doubled, not encoded, as OData requires.
 * https://www.odata.org/documentation/odata-version-2-0/uri-conventions/ (2.2 Resource Path)
 *
 * Throws RECORD_INVALID naming the missing field when the record lacks a key value.
 */
export function keyPredicate(
  keyFields: readonly string[],
  key: Readonly<Record<string, unknown>>,
  types: Readonly<Record<string, KeyType>>,
  version: ODataVersion,
): string {
  const literals = keyFields.map((field) => keyLiteral(field, key[field], types[field] ?? 'string', version, true));
  if (keyFields.length === 1) return `(${literals[0] ?? ''})`;
  return `(${keyFields.map((field, i) => `${field}=${literals[i] ?? ''}`).join(',')})`;
}

/**
 * The key as the target prints it, for `WriteResult.targetId`: the bare value of a single key (`1000000`), the
 * unencoded predicate body of a composite one (`Equipment='10000000',ValidityEndDate=datetime'9999-12-31T00:00:00'`).
 */
export function keyLabel(
  keyFields: readonly string[],
  key: Readonly<Record<string, unknown>>,
  types: Readonly<Record<string, KeyType>>,
  version: ODataVersion,
): string {
  const [only] = keyFields;
  if (keyFields.length === 1 && only !== undefined) return String(present(only, key[only]));
  return keyFields
    .map((field) => `${field}=${keyLiteral(field, key[field], types[field] ?? 'string', version, false)}`)
    .join(',');
}

/** The key fields of a record, or undefined when one of them is missing or empty. */
export function keyOf(
  keyFields: readonly string[],
  record: Readonly<Record<string, unknown>>,
): Record<string, unknown> | undefined {
  const key: Record<string, unknown> = {};
  for (const field of keyFields) {
    const value = record[field];
    if (value === undefined || value === null || value === '') return undefined;
    key[field] = value;
  }
  return key;
}

function keyLiteral(field: string, raw: unknown, type: KeyType, version: ODataVersion, encode: boolean): string {
  const value = present(field, raw);
  // encodeURIComponent leaves ' ( ) alone, so the literal's quoting survives.
  const enc = (text: string): string => (encode ? encodeURIComponent(text) : text);
  switch (type) {
    case 'number':
      if (!/^-?\d+(\.\d+)?$/.test(String(value))) throw invalidKey(field, 'a number');
      return String(value);
    case 'guid':
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(String(value))) {
        throw invalidKey(field, 'a GUID');
      }
      return version === 'v2' ? `guid'${String(value)}'` : String(value);
    case 'datetime':
    case 'date':
    case 'datetimeoffset': {
      const at = parseInstant(String(value));
      if (!at) throw invalidKey(field, 'a date');
      if (version === 'v4') return enc(type === 'datetimeoffset' ? `${isoLocal(at)}Z` : isoDate(at));
      return type === 'datetimeoffset'
        ? `datetimeoffset'${enc(`${isoLocal(at)}Z`)}'`
        : `datetime'${enc(isoLocal(at))}'`;
    }
    case 'string':
      return enc(stringLiteral(String(value)));
  }
}

function present(field: string, value: unknown): string | number | boolean {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  throw new TaktError('RECORD_INVALID', `The record has no value for the key field ${field}.`, {
    details: { field },
  });
}

function invalidKey(field: string, expected: string): TaktError {
  return new TaktError('RECORD_INVALID', `The key field ${field} must hold ${expected}.`, { details: { field } });
}
