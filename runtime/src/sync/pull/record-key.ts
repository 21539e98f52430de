/**
 * The external id of a pulled record: the value of its one key field, or, for a composite key, the JSON array
 * of its key values in key order (`["10000000","9999-12-31"]`), which no separator inside a value can make
 * ambiguous. Undefined when a key value is missing: such a record cannot be deduplicated and is reported.
 */
export function externalIdOf(
  keyFields: readonly string[],
  record: Readonly<Record<string, unknown>>,
): string | undefined {
  const values: string[] = [];
  for (const field of keyFields) {
    const value = record[field];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
    values.push(String(value));
  }
  if (values.length === 0) return undefined;
  return values.length === 1 ? values[0] : JSON.stringify(values);
}
