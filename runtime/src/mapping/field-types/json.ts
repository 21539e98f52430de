import type { JsonValue } from '../types';
import { describe, type FieldCodec, invalid, ok, type Converted } from './codec';

class NotJson extends Error {}

/**
 * A deep copy that is plain JSON: JSONata sequences become ordinary arrays, `undefined` object members are
 * dropped (as JSON.stringify does), and anything JSON cannot hold (functions, NaN, Infinity, class instances)
 * throws NotJson. A `__proto__` member is copied as data, never as a prototype.
 */
function copy(value: unknown): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new NotJson();
    return value;
  }
  if (Array.isArray(value)) {
    return Array.from(value, (item: unknown) => {
      if (item === undefined) throw new NotJson();
      return copy(item);
    });
  }
  if (typeof value === 'object') {
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) throw new NotJson();
    const out: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      if (key === '__proto__') {
        Object.defineProperty(out, key, { value: copy(item), enumerable: true, writable: true, configurable: true });
      } else {
        out[key] = copy(item);
      }
    }
    return out;
  }
  throw new NotJson();
}

/** `value` as a detached JSON value, or the reason it is not JSON. */
export function readJson(value: unknown): Converted {
  try {
    return ok(copy(value));
  } catch (error) {
    // NotJson, or a RangeError from a structure nested deeper than the stack: either way, not usable data.
    return invalid(
      error instanceof NotJson ? `expected a JSON value, got ${describe(value)}` : 'JSON value nested too deeply',
    );
  }
}

/** JSON: any JSON value, deep-copied so the output never shares objects with the input. */
export const jsonCodec: FieldCodec = {
  fromErp: readJson,
  fromCanonical: readJson,
  toErp: (value) => ok(value),
};
