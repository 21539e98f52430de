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
