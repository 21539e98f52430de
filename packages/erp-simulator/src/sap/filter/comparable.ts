import type { PropertyDef, Value } from '../model/edm';
import type { Literal, ODataVersion } from './filter-ast';
import { badRequest } from '../odata/odata-error';
import { normalizeAlpha } from '../data/keys';

/**
 * Values as a comparison sees them: strings compare as text, dates/times/decimals as numbers, booleans as
 * booleans. A V2 ABAP flag compares as its wire text "X"/"" (reference A.5), a V4 flag as Edm.Boolean.
 */
export type Comparable = string | number | boolean | null;

export function comparableValue(property: PropertyDef, value: Value | undefined, version: ODataVersion): Comparable {
  if (value === undefined || value === null) return null;
  switch (property.kind) {
    case 'decimal':
      return Number(value);
    case 'flag':
      return version === 'v2' ? (value === true ? 'X' : '') : value === true;
    default:
      return value;
  }
}

/** Orders two comparables; null sorts first (OData's ordering of null). */
export function compareComparable(a: Comparable, b: Comparable): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a ? 1 : -1;
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * The literal as a comparable for this property, or a 400 when the literal's type does not fit the property
 * (a V4 server answers the V2 datetime'…' form with 400; reference A.7).
 */
export function comparableLiteral(property: PropertyDef, literal: Literal, version: ODataVersion): Comparable {
  if (literal.kind === 'null') return null;
  const mismatch = (): never => {
    throw badRequest(`Literal of type ${literal.kind} does not fit property ${property.name} (${property.kind})`);
  };
  switch (property.kind) {
    case 'string':
    case 'timestamp14':
      return literal.kind === 'string' ? normalizeAlpha(property, literal.value) : mismatch();
    case 'guid':
      return literal.kind === 'guid' ? literal.value : mismatch();
    case 'decimal':
    case 'int':
      return literal.kind === 'number' ? literal.value : mismatch();
    case 'boolean':
      return literal.kind === 'boolean' ? literal.value : mismatch();
    case 'flag':
      if (version === 'v2') return literal.kind === 'string' ? literal.value : mismatch();
      return literal.kind === 'boolean' ? literal.value : mismatch();
    case 'date':
      // V2 writes dates as datetime'…' (Edm.DateTime, display-format Date); V4 as a bare Edm.Date.
      if (version === 'v2') return literal.kind === 'datetime' ? literal.ms : mismatch();
      return literal.kind === 'date' ? literal.ms : mismatch();
    case 'datetime':
    case 'datetimeoffset':
      return literal.kind === 'datetime' ? literal.ms : mismatch();
    case 'time':
      return literal.kind === 'time' ? literal.ms : mismatch();
  }
}
