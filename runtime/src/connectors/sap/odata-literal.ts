import { TaktError } from '../../errors';

/**
 * Primitive literals shared by `$filter` expressions and key predicates (reference A.7): strings in single
 * quotes with a quote doubled to escape it (`'O''Neil'`), numbers and booleans bare.
 * https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_URLComponents
 */
export function stringLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function primitiveLiteral(value: string | number | boolean, field: string): string {
  if (typeof value === 'string') return stringLiteral(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (!Number.isFinite(value)) {
    throw new TaktError('CONFIG_INVALID', `The filter value of ${field} must be a finite number (got ${value}).`, {
      details: { field },
    });
  }
  return String(value);
}

/** OData identifiers (property names); anything else in a `$filter` would be an injection, not a name. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export function assertPropertyName(name: string, what: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new TaktError('CONFIG_INVALID', `${what} "${name.slice(0, 60)}" is not a valid OData property name.`, {
      details: { field: what },
    });
  }
  return name;
}
