import type { JsonValue } from '../types';

/** What a field type's conversion gives: a value, or the code and message of the record issue it raises. */
export type Converted<T = CanonicalValue> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: ConversionErrorCode; readonly message: string };

export type ConversionErrorCode = 'MAPPING_TYPE_INVALID' | 'MAPPING_ENUM_UNKNOWN';

/** A field's value in canonical form: DECIMAL strings, INTEGER numbers (or digit strings past 2^53), … */
export type CanonicalValue = JsonValue;

/**
 * One field type's conversions, built once per field at compile time with the field's options bound.
 * `fromErp` reads the ERP's wire form (inbound), `fromCanonical` reads a canonical record's value (outbound
 * source, defaults, key values), `toErp` writes the wire form (outbound). All three are pure and synchronous;
 * REFERENCE lookups happen in the record mapper because they are asynchronous.
 */
export interface FieldCodec {
  fromErp(value: unknown): Converted;
  fromCanonical(value: unknown): Converted;
  toErp(value: CanonicalValue): Converted<JsonValue>;
  /** ERP "initial" values that mean no value (SAP's '00000000' date), on top of undefined, null and ''. */
  isBlankErp?(value: unknown): boolean;
}

export function ok<T>(value: T): Converted<T> {
  return { ok: true, value };
}

export function invalid(message: string): Converted<never> {
  return { ok: false, code: 'MAPPING_TYPE_INVALID', message };
}

/** A short, bounded rendering of a value for messages: record values can be large. */
export function describe(value: unknown): string {
  let text: string;
  if (value === undefined) text = 'undefined';
  else if (typeof value === 'string') text = JSON.stringify(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
