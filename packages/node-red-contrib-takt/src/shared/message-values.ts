import { fieldText as textOf, TaktError } from '@takt/runtime';

/**
 * Reading an editor field or a message property into what a node-op takes: trimmed text, comma lists,
 * bounded integers, and `msg.payload` as records (one object or an array of them).
 */

/** Trimmed text and comma lists are read as the n8n nodes read them (node-ops/field-values.ts). */
export { commaList as listOf, fieldText as textOf } from '@takt/runtime';

/** A whole number in [min, max]; `fallback` when the field is empty; CONFIG_INVALID naming the field otherwise. */
export function integerOf(value: unknown, field: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const number = typeof value === 'number' ? value : Number(textOf(value));
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new TaktError('CONFIG_INVALID', `${field} must be a whole number from ${min} to ${max}.`);
  }
  return number;
}

/**
 * `msg.payload` as records: an object is one record (`single`, answered as one object), an array is many. Any
 * other value fails as RECORD_INVALID naming the property, as does an array element that is not an object.
 */
export function recordsOf(value: unknown, property: string): { records: Record<string, unknown>[]; single: boolean } {
  if (isRecord(value)) return { records: [value], single: true };
  if (Array.isArray(value)) {
    const bad = value.findIndex((entry) => !isRecord(entry));
    if (bad >= 0) {
      throw new TaktError('RECORD_INVALID', `${property}[${bad}] is not an object: send records as JSON objects.`, {
        details: { index: bad },
      });
    }
    return { records: value as Record<string, unknown>[], single: false };
  }
  throw new TaktError(
    'RECORD_INVALID',
    `${property} must be a record (an object) or an array of records, not ${value === null ? 'null' : typeof value}.`,
  );
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
