/**
 * Plain dot paths ("d.ManufacturingOrder", "quantity.good"): the fast path reads them without JSONata and
 * writes output fields through them.
 *
 * Reading follows JSONata's path semantics exactly, so `erp: "a.b"` and `expression: "a.b"` agree on every
 * JSON record (fast-path.property.test.ts proves it): a step over an array maps over its items and flattens;
 * a result of one item is that item; no result is undefined; an array reached by the last step is returned
 * as it is. Only own properties are read. Array indexes (`items[0]`), wildcards and names that are not
 * identifiers are not path syntax here: they need an expression, where JSONata's own rules apply.
 */

const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Names that would reach an object's prototype machinery when written; refused in every path. */
const UNSAFE = new Set(['__proto__', 'prototype', 'constructor']);

export type Path = readonly string[];

/** The segments of a dot path, or undefined when it is not one (empty segments, brackets, unsafe names). */
export function parsePath(text: string): Path | undefined {
  const segments = text.split('.');
  return segments.every((s) => SEGMENT.test(s) && !UNSAFE.has(s)) ? segments : undefined;
}

type Container = Record<string, unknown>;

function isObject(value: unknown): value is Container {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function own(value: Container, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, key);
}

/** JSONata's result sequence, kept apart from arrays that are data. */
class Sequence {
  constructor(readonly items: unknown[]) {}
}

/** JSONata's name lookup: over an array, the flattened lookups of its items. */
function lookup(input: unknown, key: string): unknown {
  if (Array.isArray(input)) {
    const items: unknown[] = [];
    for (const item of input) {
      const found = lookup(item, key);
      if (found === undefined) continue;
      const value = found instanceof Sequence ? found.items : found;
      if (Array.isArray(value)) items.push(...(value as unknown[]));
      else items.push(value);
    }
    return new Sequence(items);
  }
  return isObject(input) && own(input, key) ? input[key] : undefined;
}

/** JSONata's rule for any evaluated node: an empty sequence is undefined, a singleton is its item. */
function collapse(value: unknown): unknown {
  if (!(value instanceof Sequence)) return value;
  if (value.items.length === 0) return undefined;
  return value.items.length === 1 ? value.items[0] : value;
}

/**
 * The general case, entered when a step before the last gave an array: JSONata flattens that array into the
 * input sequence of the next step and evaluates the rest step by step.
 */
function readThroughArrays(items: readonly unknown[], path: Path, from: number): unknown {
  let input: readonly unknown[] = items;
  for (let step = from; step < path.length; step++) {
    const key = path[step] as string;
    const results: unknown[] = [];
    for (const item of input) {
      const found = collapse(lookup(item, key));
      if (found !== undefined) results.push(found);
    }
    const only = results[0];
    if (step === path.length - 1 && results.length === 1 && Array.isArray(only)) return only;
    const next: unknown[] = [];
    for (const found of results) {
      if (found instanceof Sequence) next.push(...found.items);
      else if (Array.isArray(found)) next.push(...(found as unknown[]));
      else next.push(found);
    }
    if (next.length === 0) return undefined;
    input = next;
  }
  return input.length === 1 ? input[0] : input;
}

/** The value at `path` in `record`, as JSONata's `path.to.field` would give it. */
export function readPath(record: unknown, path: Path): unknown {
  let current = record;
  for (let step = 0; step < path.length; step++) {
    // Objects all the way down is the common case and needs no sequences.
    if (Array.isArray(current)) return readThroughArrays(current as unknown[], path, step);
    if (!isObject(current)) return undefined;
    const key = path[step] as string;
    if (!own(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/** Writes `value` at `path`, creating the objects on the way. Compile has ruled out clashing paths. */
export function writePath(target: Container, path: Path, value: unknown): void {
  let current = target;
  const last = path.length - 1;
  for (let step = 0; step < last; step++) {
    const key = path[step] as string;
    const next = current[key];
    if (isObject(next)) {
      current = next;
    } else {
      const created: Container = {};
      current[key] = created;
      current = created;
    }
  }
  current[path[last] as string] = value;
}
