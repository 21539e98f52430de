import type { PropertyDef, SimRecord, Value } from '../model/edm';

/** Canonical text of a key, for the overlay map: values joined by a separator no key can contain. */
export function keyText(keys: readonly string[], record: SimRecord): string {
  return keys.map((k) => String(record[k] ?? '')).join('\u0001');
}

/** Drops the leading zeros an ABAP conversion exit adds, so "000001000000" and "1000000" are one key. */
export function normalizeAlpha(property: PropertyDef | undefined, value: Value): Value {
  if (property?.alpha && typeof value === 'string' && /^\d+$/.test(value)) {
    const trimmed = value.replace(/^0+/, '');
    return trimmed === '' ? '0' : trimmed;
  }
  return value;
}

export function pickKey(keys: readonly string[], record: SimRecord): SimRecord {
  const key: SimRecord = {};
  for (const k of keys) key[k] = record[k] ?? null;
  return key;
}

/** Index of a numeric-text key counted from `first`, or undefined for anything else. */
export function numericIndex(value: unknown, first: number): number | undefined {
  if (typeof value !== 'string' || !/^\d+$/.test(value)) return undefined;
  const index = Number(value) - first;
  return Number.isSafeInteger(index) && index >= 0 ? index : undefined;
}
