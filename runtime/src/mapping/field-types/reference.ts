import { describe, type FieldCodec, invalid, ok, type Converted } from './codec';

/**
 * REFERENCE ids are strings, kept verbatim (leading zeros included: the id map is keyed by the exact external
 * id). A safe integer is accepted as its decimal string, since NetSuite and others send numeric ids. The
 * lookup itself (external id ↔ target id) is asynchronous and runs in the record mapper.
 */
export function readReferenceId(value: unknown): Converted {
  if (typeof value === 'string') return ok(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return ok(String(value));
  return invalid(`expected a reference id, got ${describe(value)}`);
}

export const referenceCodec: FieldCodec = {
  fromErp: readReferenceId,
  fromCanonical: readReferenceId,
  toErp: (value) => ok(value),
};
