import { describe, type FieldCodec, invalid, ok, type Converted } from './codec';

/**
 * STRING: the value verbatim, never trimmed or unpadded, so SAP keys keep their leading zeros
 * ("000000000001000123"). A JSON number is accepted through its shortest string form because some ERPs send
 * codes as numbers; everything else (booleans, objects, arrays) is a type error rather than a guess.
 */
export function readString(value: unknown): Converted {
  if (typeof value === 'string') return ok(value);
  if (typeof value === 'number' && Number.isFinite(value)) return ok(String(value));
  return invalid(`expected a string, got ${describe(value)}`);
}

export const stringCodec: FieldCodec = {
  fromErp: readString,
  fromCanonical: readString,
  toErp: (value) => ok(value),
};

const DIGITS = /^[0-9]+$/;

/**
 * `trimLeadingZeros`: SAP's ALPHA conversion exit undone. Numeric-looking keys are NUMC / CHAR fields padded
 * with zeros, and one API returns them unpadded while another keeps the padding (a notification's
 * TechnicalObject against API_EQUIPMENT's Equipment), so ids are normalised before they are compared
 * (erp-protocols.md A.11, "Leading zeros"). Only all-digit values lose their zeros, down to one ('0000' →
 * '0'); '0010-CWS-01' is not an ALPHA value and stays as it is. Inbound only: the canonical value is already
 * unpadded, and the APIs accept the unpadded form, while padding would need the ERP field's length.
 */
export const trimmedStringCodec: FieldCodec = {
  fromErp: (value) => {
    const read = readString(value);
    if (!read.ok || typeof read.value !== 'string' || !DIGITS.test(read.value)) return read;
    return ok(read.value.replace(/^0+(?=[0-9])/, ''));
  },
  fromCanonical: readString,
  toErp: (value) => ok(value),
};
