import type { PropertyDef, Value } from '../model/edm';
import type { ODataVersion } from '../filter/filter-ast';
import { parseDateTime, parseDuration } from '../filter/literals';
import { normalizeAlpha } from '../data/keys';

/**
 * Property values on the wire, per version (reference A.5). V2: /Date(ms)/ and /Date(ms+0000)/, Edm.Time as
 * PT…H…M…S, decimals as strings, ABAP flags as "X"/"". V4: ISO dates and times, decimals as numbers (strings
 * with IEEE754Compatible=true), flags as booleans.
 */
export interface WireOptions {
  readonly version: ODataVersion;
  readonly ieee754Compatible?: boolean;
}

const pad = (n: number): string => String(n).padStart(2, '0');

function hms(ms: number): [number, number, number] {
  const seconds = Math.floor(ms / 1000);
  return [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60];
}

export function isoDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

export function toWire(property: PropertyDef, value: Value | undefined, options: WireOptions): unknown {
  if (value === undefined || value === null) return null;
  const v2 = options.version === 'v2';
  switch (property.kind) {
    case 'decimal':
      return v2 || options.ieee754Compatible ? String(value) : Number(value);
    case 'flag':
      return v2 ? (value === true ? 'X' : '') : value === true;
    case 'date':
      return v2 ? `/Date(${Number(value)})/` : new Date(Number(value)).toISOString().slice(0, 10);
    case 'datetime':
      return v2 ? `/Date(${Number(value)})/` : isoDateTime(Number(value));
    case 'datetimeoffset':
      return v2 ? `/Date(${Number(value)}+0000)/` : isoDateTime(Number(value));
    case 'time': {
      const [h, m, s] = hms(Number(value));
      return v2 ? `PT${pad(h)}H${pad(m)}M${pad(s)}S` : `${pad(h)}:${pad(m)}:${pad(s)}`;
    }
    default:
      return value;
  }
}

const V2_DATE = /^\/Date\((-?\d+)(?:([+-])(\d{4}))?\)\/$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Thrown for a value of the wrong type or form; the write layer turns it into a validation error. */
export class WireValueError extends Error {}

/** A value from a request body in the simulator's internal form, or a WireValueError explaining the form. */
export function fromWire(property: PropertyDef, raw: unknown, options: WireOptions): Value {
  if (raw === null) {
    if (property.nullable === false) throw new WireValueError(`${property.name} must not be null`);
    return null;
  }
  const v2 = options.version === 'v2';
  const fail = (expected: string): never => {
    throw new WireValueError(`Invalid value ${JSON.stringify(raw)} for ${property.name}: expected ${expected}`);
  };
  switch (property.kind) {
    case 'string':
    case 'timestamp14':
      if (typeof raw !== 'string') return fail('a string');
      if (property.maxLength !== undefined && raw.length > property.maxLength) {
        return fail(`at most ${property.maxLength} characters`);
      }
      return normalizeAlpha(property, raw);
    case 'guid':
      return typeof raw === 'string' && GUID.test(raw) ? raw.toLowerCase() : fail('a GUID');
    case 'decimal': {
      const text = typeof raw === 'number' && !v2 ? String(raw) : raw;
      return typeof text === 'string' && DECIMAL.test(text) ? text : fail(v2 ? 'a decimal string' : 'a decimal');
    }
    case 'int':
      return typeof raw === 'number' && Number.isInteger(raw) ? raw : fail('an integer');
    case 'boolean':
      return typeof raw === 'boolean' ? raw : fail('true or false');
    case 'flag':
      if (v2) return raw === 'X' ? true : raw === '' ? false : fail('"X" or ""');
      return typeof raw === 'boolean' ? raw : fail('true or false');
    case 'date':
    case 'datetime':
    case 'datetimeoffset': {
      if (typeof raw !== 'string') return fail('a date string');
      if (v2) {
        const m = V2_DATE.exec(raw);
        return m ? Number(m[1]) : fail('/Date(<ms>)/');
      }
      if (property.kind === 'date') {
        const ms = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? Date.parse(`${raw}T00:00:00Z`) : NaN;
        return Number.isNaN(ms) ? fail('YYYY-MM-DD') : ms;
      }
      return parseDateTime(raw, true) ?? fail('an ISO 8601 date-time with zone');
    }
    case 'time': {
      if (typeof raw !== 'string') return fail('a time');
      if (v2) return parseDuration(raw) ?? fail('PThhHmmMssS');
      const m = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(raw);
      return m ? (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0)) * 1000 : fail('hh:mm:ss');
    }
  }
}
