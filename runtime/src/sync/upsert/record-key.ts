import type { ErrorRecord } from '../../state';
import { IDENTITY_KEY_FIELDS } from './types';

/** Where a record lives in the id map: (connection,) entity, source, external id. */
export interface RecordKey {
  readonly entity: string;
  readonly source: string;
  readonly externalId: string;
}

/** One string per key, for maps inside a call. */
export function keyString(key: RecordKey): string {
  return `${key.entity}\u0000${key.source}\u0000${key.externalId}`;
}

export function isIdentityKey(keyFields: readonly string[]): boolean {
  return keyFields.length === 2 && keyFields[0] === IDENTITY_KEY_FIELDS[0] && keyFields[1] === IDENTITY_KEY_FIELDS[1];
}

/**
 * The key of a record, or why it has none. Rules:
 * - identity keys (the default): the id map's source is the record's `external_source`, its external id the
 *   record's `external_id`; a custom key's values form the external id under the configured `source`;
 * - a key value is text or a safe integer. Text is kept as written (leading zeros and inner spaces are part
 *   of an SAP number) but NFC-normalised, the same rule the content hash follows, so one name typed two ways is
 *   one record. A safe integer is written in decimal. null, undefined, "" and blank text are KEY_MISSING;
 *   any other value (a float, an object, an integer above 2^53) is RECORD_INVALID, since it could not be
 *   written back bit-exact;
 * - a composite custom key is the JSON array of its values, so no separator can make two keys collide.
 */
export function keyOf(
  entity: string,
  data: Readonly<Record<string, unknown>>,
  keyFields: readonly string[],
  source: string | undefined,
): RecordKey | ErrorRecord {
  const values: string[] = [];
  for (const field of keyFields) {
    const value = keyValue(Object.prototype.hasOwnProperty.call(data, field) ? data[field] : undefined);
    if (value === undefined) return missing(field);
    if (value === null) {
      return {
        code: 'RECORD_INVALID',
        message: `Key field "${field}" must be text or a whole number up to 2^53, not ${describe(data[field])}.`,
        retryable: false,
      };
    }
    values.push(value);
  }
  if (isIdentityKey(keyFields)) {
    return { entity, source: values[0] ?? '', externalId: values[1] ?? '' };
  }
  if (source === undefined || source === '') {
    return {
      code: 'CONFIG_INVALID',
      message: `Custom key fields (${keyFields.join(', ')}) need a "source" to name the id map's namespace.`,
      retryable: false,
    };
  }
  return { entity, source, externalId: values.length === 1 ? (values[0] ?? '') : JSON.stringify(values) };
}

export function isRecordKey(value: RecordKey | ErrorRecord): value is RecordKey {
  return 'externalId' in value;
}

/** The key text, undefined when missing, null when present but unusable. */
function keyValue(value: unknown): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.normalize('NFC');
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return null;
}

function missing(field: string): ErrorRecord {
  return {
    code: 'KEY_MISSING',
    message: `The record has no value in key field "${field}"; it was not sent (an upsert needs its key).`,
    retryable: false,
  };
}

function describe(value: unknown): string {
  if (typeof value === 'number') return `the number ${value}`;
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}
