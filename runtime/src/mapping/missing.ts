/**
 * A missing value: undefined, null or ''. ERPs write "no value" all three ways (SAP sends '' for an empty
 * CHAR field, Dynamics null, others leave the property out), and a mapping must treat them alike. The one
 * exception is '' where it is a value, SAP's false flag (see BOOLEAN).
 */
export function isMissing(value: unknown, emptyIsValue: boolean): boolean {
  return value === undefined || value === null || (value === '' && !emptyIsValue);
}
