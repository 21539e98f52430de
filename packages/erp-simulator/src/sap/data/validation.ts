import type { SimRecord } from '../model/edm';
import type { DataSetDef, ValidationIssue } from '../model/entity-set';

/** Small business-rule checks shared by the data sets; messages read like the backend's, not like a parser's. */
export function requiredIssues(def: DataSetDef, input: SimRecord): ValidationIssue[] {
  return def.properties
    .filter(
      (p) => p.requiredOnCreate && (input[p.name] === undefined || input[p.name] === null || input[p.name] === ''),
    )
    .map((p) => ({ property: p.name, message: `Enter a value for ${p.name}` }));
}

export function knownValueIssue(record: SimRecord, property: string, allowed: readonly string[]): ValidationIssue[] {
  const value = record[property];
  if (value === undefined || value === null || value === '') return [];
  return typeof value === 'string' && allowed.includes(value)
    ? []
    : [{ property, message: `${property} ${String(value)} does not exist` }];
}

export function decimalIssue(
  record: SimRecord,
  property: string,
  rule: { positive?: boolean; nonNegative?: boolean },
): ValidationIssue[] {
  const value = record[property];
  if (value === undefined || value === null) return [];
  const number = Number(value);
  if (rule.positive && !(number > 0)) return [{ property, message: `${property} must be greater than zero` }];
  if (rule.nonNegative && !(number >= 0)) return [{ property, message: `${property} must not be negative` }];
  return [];
}

export function maxLengthIssue(record: SimRecord, property: string, max: number): ValidationIssue[] {
  const value = record[property];
  return typeof value === 'string' && value.length > max
    ? [{ property, message: `${property} is longer than ${max} characters` }]
    : [];
}
