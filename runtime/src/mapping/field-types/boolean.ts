import type { BooleanFormat } from '../types';
import { describe, type FieldCodec, invalid, ok, type Converted } from './codec';

/**
 * BOOLEAN, canonically true / false. Inbound reads every ERP convention whatever the field's format: JSON
 * booleans, "true" / "false", SAP ABAP flags 'X' / '', NetSuite 'T' / 'F'. The empty string is false only for a
 * field declared `booleanFormat: 'sap'`, because only there does '' carry meaning; elsewhere it is a missing
 * value (handled before the codec runs). Anything else ("1", "yes", 0) is a type error: guessing would turn
 * a wrongly mapped field into silently wrong flags.
 */
export function readBoolean(value: unknown, emptyIsFalse: boolean): Converted {
  switch (value) {
    case true:
    case 'true':
    case 'X':
    case 'T':
      return ok(true);
    case false:
    case 'false':
    case 'F':
      return ok(false);
    case '':
      if (emptyIsFalse) return ok(false);
  }
  return invalid(`expected a boolean, got ${describe(value)}`);
}

const WIRE: Readonly<Record<BooleanFormat, readonly [boolean | string, boolean | string]>> = {
  json: [true, false],
  sap: ['X', ''],
  netsuite: ['T', 'F'],
};

export function booleanCodec(format: BooleanFormat = 'json'): FieldCodec {
  const [yes, no] = WIRE[format];
  return {
    fromErp: (value) => readBoolean(value, format === 'sap'),
    fromCanonical: (value) => readBoolean(value, false),
    toErp: (value) => ok(value === true ? yes : no),
  };
}

export function isBooleanFormat(value: unknown): value is BooleanFormat {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(WIRE, value);
}
