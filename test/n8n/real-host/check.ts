import { isDeepStrictEqual } from 'node:util';

/** Assertions for the end-to-end run: each failure names what was expected and what the host produced. */

export class CheckFailed extends Error {
  override readonly name = 'CheckFailed';
}

export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new CheckFailed(message);
}

export function checkEqual<T>(actual: T, expected: T, what: string): void {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new CheckFailed(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** Counts values: `{ created: 3, updated: 1 }`. */
export function tally(values: readonly unknown[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) {
    const key = String(value);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

export function field(item: { readonly json: Record<string, unknown> }, path: string): unknown {
  let value: unknown = item.json;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
