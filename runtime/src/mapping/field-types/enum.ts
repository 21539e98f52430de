import type { EnumSpec, JsonValue } from '../types';
import { describe, type FieldCodec, invalid, ok, type Converted } from './codec';

/** The ERP values that share a canonical value; more than one makes the outbound inverse ambiguous. */
export function ambiguousCanonicalValues(spec: EnumSpec): Map<string, string[]> {
  const byCanonical = new Map<string, string[]>();
  for (const [erpValue, canonical] of Object.entries(spec.values ?? {})) {
    byCanonical.set(canonical, [...(byCanonical.get(canonical) ?? []), erpValue]);
  }
  return new Map([...byCanonical].filter(([, erpValues]) => erpValues.length > 1));
}

function enumKey(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * ENUM: ERP value → canonical value through the field's map, compared as strings (a status sent as the number
 * 10 matches the key "10"). An unmapped ERP value is MAPPING_ENUM_UNKNOWN unless the spec names a default.
 * Outbound writes the one ERP value mapped to the canonical value; compile refuses maps where that is not
 * unique. The default is inbound only: outbound there is no ERP value to invent for an unknown canonical one.
 * An ENUM read from flags receives its rule's canonical value (field-mapper.ts), so its map is the identity
 * over the rules' values and the field's default (the value when no flag is set), which are then checked like
 * any other.
 */
export function enumCodec(spec: EnumSpec, fieldDefault?: JsonValue): FieldCodec {
  const flagValues = (spec.flags ?? []).map((flag): [string, string] => [flag.value, flag.value]);
  if (typeof fieldDefault === 'string') flagValues.push([fieldDefault, fieldDefault]);
  const values = new Map(spec.values === undefined ? flagValues : Object.entries(spec.values));
  const inverse = new Map([...values].map(([erpValue, canonical]) => [canonical, erpValue]));
  const fallback = typeof spec.unknown === 'object' ? spec.unknown.default : undefined;
  const typeError = (value: unknown): Converted => invalid(`expected an enum value, got ${describe(value)}`);
  const unknown = (value: string, side: string): Converted => ({
    ok: false,
    code: 'MAPPING_ENUM_UNKNOWN',
    message: `${describe(value)} is not a known ${side} value (known: ${[...(side === 'ERP' ? values.keys() : inverse.keys())].map((v) => JSON.stringify(v)).join(', ')})`,
  });
  return {
    fromErp: (value) => {
      const key = enumKey(value);
      if (key === undefined) return typeError(value);
      const canonical = values.get(key) ?? fallback;
      return canonical === undefined ? unknown(key, 'ERP') : ok(canonical);
    },
    fromCanonical: (value) => {
      const key = enumKey(value);
      if (key === undefined) return typeError(value);
      return inverse.has(key) || key === fallback ? ok(key) : unknown(key, 'canonical');
    },
    toErp: (value) => {
      const erpValue = inverse.get(String(value));
      return erpValue === undefined ? unknown(String(value), 'canonical') : ok(erpValue);
    },
  };
}
