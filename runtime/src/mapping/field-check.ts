import type { SpecIssue } from './compile-issues';
import { isBooleanFormat } from './field-types/boolean';
import { ambiguousCanonicalValues } from './field-types/enum';
import {
  createCodec,
  createPairCodec,
  type DateTimePairCodec,
  type FieldCodec,
  isFieldType,
  isTimeZone,
} from './field-types';
import type { EnumFlag, EnumSpec, FieldMapping, MappingDirection } from './types';

const DIRECTIONS = ['inbound', 'outbound', 'both'];
const DATE_FORMATS = ['auto', 'iso', 'odata-v2', 'sap14', 'sap8'];
const NUMBER_FORMATS = ['string', 'number'];

/**
 * The directions a field takes part in. Without an explicit `direction` a field is 'both' unless it cannot
 * be: with no `erp` property there is nothing to write outbound, and an `expression` without an
 * `outboundExpression` computes a value with no way back. An explicit direction is taken at its word, and
 * what it needs is then checked.
 */
export function fieldDirections(field: FieldMapping): readonly MappingDirection[] {
  switch (field.direction) {
    case 'inbound':
    case 'outbound':
      return [field.direction];
    case 'both':
      return ['inbound', 'outbound'];
    default:
      if (field.erp === undefined) return ['inbound'];
      if (field.expression !== undefined && field.outboundExpression === undefined) return ['inbound'];
      return ['inbound', 'outbound'];
  }
}

function oneOf(value: unknown, allowed: readonly string[]): boolean {
  return typeof value === 'string' && allowed.includes(value);
}

function isRecordOfStrings(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

export interface FieldCodecs {
  readonly codec: FieldCodec;
  /** Set for a date + time pair (`erpTime`). */
  readonly pairCodec: DateTimePairCodec | undefined;
}

/**
 * Checks the type and its options (formats, zone, enum map, reference) and returns the field's codecs, or
 * undefined when the type itself is unusable. Options that do not apply to the type are refused rather than
 * ignored: a `format` on a STRING field is a mapping mistake worth reporting.
 */
export function checkFieldOptions(
  field: FieldMapping,
  at: string,
  directions: readonly MappingDirection[],
  specZone: string,
  issues: SpecIssue[],
): FieldCodecs | undefined {
  const problem = (path: string, message: string): void => {
    issues.push({ code: 'MAPPING_INVALID', path: `${at}${path}`, message });
  };
  const { type } = field;
  if (field.direction !== undefined && !oneOf(field.direction, DIRECTIONS)) {
    problem('.direction', `direction must be one of ${DIRECTIONS.join(', ')}`);
  }
  for (const flag of ['key', 'required'] as const) {
    if (field[flag] !== undefined && typeof field[flag] !== 'boolean') problem(`.${flag}`, `${flag} must be a boolean`);
  }
  if (field.format !== undefined) {
    if (type !== 'DATE' && type !== 'DATETIME') problem('.format', 'format applies to DATE and DATETIME fields only');
    else if (!oneOf(field.format, DATE_FORMATS)) problem('.format', `format must be one of ${DATE_FORMATS.join(', ')}`);
    else if (type === 'DATE' && field.format === 'sap14') problem('.format', "a DATE is written 'sap8' (YYYYMMDD)");
    else if (type === 'DATETIME' && field.format === 'sap8') problem('.format', "a DATETIME is written 'sap14'");
    else if (field.format === 'auto' && directions.includes('outbound')) {
      problem('.format', "'auto' only reads; name the format the ERP expects (iso, odata-v2, sap14, sap8)");
    }
  }
  checkTimePair(field, problem);
  if (field.trimLeadingZeros !== undefined) {
    if (type !== 'STRING') problem('.trimLeadingZeros', 'trimLeadingZeros applies to STRING fields only');
    else if (typeof field.trimLeadingZeros !== 'boolean')
      problem('.trimLeadingZeros', 'trimLeadingZeros must be a boolean');
  }
  if (field.timeZone !== undefined && (typeof field.timeZone !== 'string' || !isTimeZone(field.timeZone))) {
    problem('.timeZone', `unknown time zone ${JSON.stringify(field.timeZone)}`);
  }
  if (field.booleanFormat !== undefined) {
    if (type !== 'BOOLEAN') problem('.booleanFormat', 'booleanFormat applies to BOOLEAN fields only');
    else if (!isBooleanFormat(field.booleanFormat))
      problem('.booleanFormat', 'booleanFormat must be json, sap or netsuite');
  }
  if (field.numberFormat !== undefined) {
    if (type !== 'INTEGER' && type !== 'DECIMAL')
      problem('.numberFormat', 'numberFormat applies to INTEGER and DECIMAL');
    else if (!oneOf(field.numberFormat, NUMBER_FORMATS))
      problem('.numberFormat', 'numberFormat must be string or number');
  }
  checkEnum(field, directions, problem);
  checkReference(field, problem);
  if (!isFieldType(type)) {
    problem('.type', `unknown type ${JSON.stringify(type)}`);
    return undefined;
  }
  const zone = typeof field.timeZone === 'string' && isTimeZone(field.timeZone) ? field.timeZone : specZone;
  return { codec: createCodec(field, zone), pairCodec: createPairCodec(field, zone) };
}

function checkEnum(
  field: FieldMapping,
  directions: readonly MappingDirection[],
  problem: (path: string, message: string) => void,
): void {
  if (field.type !== 'ENUM') {
    if (field.enum !== undefined) problem('.enum', 'enum applies to ENUM fields only');
    return;
  }
  const spec = field.enum;
  if (spec !== undefined && spec.flags !== undefined) {
    checkFlags(field, spec, directions, problem);
    return;
  }
  if (spec === undefined || !isRecordOfStrings(spec.values)) {
    problem(
      '.enum.values',
      'an ENUM field needs enum.values (an object of ERP value → canonical value, strings) or enum.flags',
    );
    return;
  }
  const { unknown } = spec;
  const unknownOk =
    unknown === undefined ||
    unknown === 'error' ||
    (typeof unknown === 'object' && unknown !== null && typeof unknown.default === 'string');
  if (!unknownOk) problem('.enum.unknown', "enum.unknown must be 'error' or { default: <canonical value> }");
  if (!directions.includes('outbound')) return;
  for (const [canonical, erpValues] of ambiguousCanonicalValues(spec)) {
    problem(
      '.enum.values',
      `outbound is ambiguous: ${erpValues.map((v) => JSON.stringify(v)).join(', ')} all map to ${JSON.stringify(canonical)}; make the field inbound-only or the map one-to-one`,
    );
  }
}

/**
 * A date + time pair reads two ERP properties into one instant and writes it back to both, so it has exactly
 * one source on each side: `erp` and `erpTime`, not an expression or constant that would have to give two.
 */
function checkTimePair(field: FieldMapping, problem: (path: string, message: string) => void): void {
  if (field.erpTime === undefined) return;
  if (field.type !== 'DATETIME') return problem('.erpTime', 'erpTime applies to DATETIME fields only');
  if (typeof field.erpTime !== 'string') return problem('.erpTime', 'erpTime must be a dot path of names');
  if (field.erp === undefined) problem('.erp', 'a date + time pair needs erp, the property holding the date');
  for (const source of ['expression', 'outboundExpression', 'constant'] as const) {
    if (field[source] !== undefined) {
      problem(`.${source}`, `a date + time pair reads and writes erp and erpTime; ${source} cannot give both`);
    }
  }
}

/**
 * An ENUM from flags reads several flag properties and has no single ERP value to write back: SAP changes an
 * order's status through actions (ReleaseOrder, TechlyCmpltOrder; A.11), not by setting its flags.
 */
function checkFlags(
  field: FieldMapping,
  spec: EnumSpec,
  directions: readonly MappingDirection[],
  problem: (path: string, message: string) => void,
): void {
  const { flags } = spec;
  if (spec.values !== undefined) problem('.enum', 'enum takes values or flags, not both');
  if (spec.unknown !== undefined)
    problem('.enum.unknown', "enum.unknown applies to enum.values; with flags use the field's default");
  if (directions.includes('outbound')) problem('.enum.flags', 'an ENUM read from flags is inbound only');
  for (const source of ['erp', 'expression', 'constant'] as const) {
    if (field[source] !== undefined)
      problem(`.${source}`, `enum.flags is the field's source; ${source} cannot be set too`);
  }
  if (!Array.isArray(flags) || flags.length === 0) {
    problem('.enum.flags', 'enum.flags must be a non-empty array of { erp: [flag properties], value }');
    return;
  }
  flags.forEach((rule: unknown, i) => {
    const at = `.enum.flags[${i}]`;
    const { erp, value } = (typeof rule === 'object' && rule !== null ? rule : {}) as Partial<EnumFlag>;
    if (!Array.isArray(erp) || erp.length === 0 || !erp.every((p) => typeof p === 'string')) {
      problem(`${at}.erp`, 'erp must be a non-empty array of flag properties');
    }
    if (typeof value !== 'string' || value === '') problem(`${at}.value`, 'value must be a non-empty string');
  });
}

function checkReference(field: FieldMapping, problem: (path: string, message: string) => void): void {
  if (field.type !== 'REFERENCE') {
    if (field.reference !== undefined) problem('.reference', 'reference applies to REFERENCE fields only');
    return;
  }
  const spec = field.reference;
  if (spec === undefined || typeof spec.entity !== 'string' || spec.entity === '') {
    problem('.reference.entity', 'a REFERENCE field needs reference.entity, the canonical entity it refers to');
  } else if (spec.source !== undefined && (typeof spec.source !== 'string' || spec.source === '')) {
    problem('.reference.source', 'reference.source must be a non-empty string');
  }
}
