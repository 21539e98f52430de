/**
 * A record's key: `JSON.stringify` of its key fields' canonical values in field order, e.g. '["1000123"]' or
 * '["1000123",10]'; '[]' when the mapping has no key fields. Canonical values have one spelling each (DECIMAL
 * normal form, DATETIME in UTC), so the same record gives the same key from either direction and every run.
 */
export function formatKey(values: readonly unknown[]): string {
  return JSON.stringify(values.map((v) => (v === undefined ? null : v)));
}
