import type { NumberFormat } from '../types';
import { describe, type FieldCodec, invalid, ok, type Converted } from './codec';

const INTEGER_TEXT = /^([+-]?)(\d+)$/;

/**
 * INTEGER, canonically a JS number within ±(2^53 − 1) and a digit string beyond, so an Edm.Int64 such as
 * "9007199254740993" never loses a digit. Strings must be plain digits with an optional sign: "1.5", "1.0",
 * "1e3" and " 7" are type errors, not roundings. Leading zeros are dropped ("007" → 7): an INTEGER is a
 * quantity; identifiers that keep their zeros belong in STRING fields. A JSON number past 2^53 is refused
 * because its digits may already have been lost while the JSON was parsed.
 */
export function readInteger(value: unknown): Converted {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return invalid(`expected an integer, got ${describe(value)}`);
    if (!Number.isSafeInteger(value)) {
      return invalid(
        `integer ${describe(value)} is beyond 2^53 as a JSON number and may have lost digits; send it as a string`,
      );
    }
    return ok(value === 0 ? 0 : value);
  }
  if (typeof value !== 'string') return invalid(`expected an integer, got ${describe(value)}`);
  const match = INTEGER_TEXT.exec(value);
  if (!match) return invalid(`expected an integer, got ${describe(value)}`);
  const digits = (match[2] ?? '').replace(/^0+(?=\d)/, '');
  if (digits === '0') return ok(0);
  const text = match[1] === '-' ? `-${digits}` : digits;
  const asNumber = Number(text);
  return ok(Number.isSafeInteger(asNumber) ? asNumber : text);
}

export function integerCodec(numberFormat: NumberFormat = 'number'): FieldCodec {
  return {
    fromErp: readInteger,
    fromCanonical: readInteger,
    // A value past 2^53 stays a string even under 'number': writing it as a number would change it.
    toErp: (value) => ok(numberFormat === 'string' || typeof value === 'string' ? String(value) : value),
  };
}
