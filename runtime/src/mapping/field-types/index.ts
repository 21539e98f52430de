import type { DateTimeFormat, FieldMapping, FieldType, MappingDirection } from '../types';
import { booleanCodec } from './boolean';
import type { FieldCodec } from './codec';
import { dateCodec } from './date';
import { dateTimePairCodec, type DateTimePairCodec } from './date-time-pair';
import { dateTimeCodec } from './datetime';
import { decimalCodec } from './decimal';
import { enumCodec } from './enum';
import { integerCodec } from './integer';
import { jsonCodec } from './json';
import { referenceCodec } from './reference';
import { stringCodec, trimmedStringCodec } from './string';

export { type CanonicalValue, type Converted, type FieldCodec } from './codec';
export { isTimeZone } from './time-zone';
export { type DateTimePairCodec } from './date-time-pair';

export const FIELD_TYPES: readonly FieldType[] = [
  'STRING',
  'INTEGER',
  'DECIMAL',
  'BOOLEAN',
  'DATE',
  'DATETIME',
  'ENUM',
  'REFERENCE',
  'JSON',
];

export function isFieldType(value: unknown): value is FieldType {
  return typeof value === 'string' && (FIELD_TYPES as readonly string[]).includes(value);
}

/**
 * The wire format a date field reads (inbound) and writes (outbound) in a compiled direction. Reading
 * defaults to 'auto'; writing to 'iso', because 'auto' cannot choose a form to write.
 */
export function dateFormats(field: FieldMapping): { readonly read: DateTimeFormat; readonly write: DateTimeFormat } {
  const read = field.format ?? 'auto';
  return { read, write: field.format === undefined || field.format === 'auto' ? 'iso' : field.format };
}

/**
 * The codec of a field whose spec already passed the checks in spec-check.ts (known type, enum map present,
 * valid zone and formats). `zone` is the field's own zone or the spec's.
 */
export function createCodec(field: FieldMapping, zone: string): FieldCodec {
  const formats = dateFormats(field);
  switch (field.type) {
    case 'STRING':
      return field.trimLeadingZeros === true ? trimmedStringCodec : stringCodec;
    case 'INTEGER':
      return integerCodec(field.numberFormat);
    case 'DECIMAL':
      return decimalCodec(field.numberFormat);
    case 'BOOLEAN':
      return booleanCodec(field.booleanFormat);
    case 'DATE':
      return dateCodec(formats.read, formats.write);
    case 'DATETIME':
      return dateTimeCodec(formats.read, formats.write, zone);
    case 'ENUM':
      return enumCodec(field.enum ?? { values: {} }, field.default);
    case 'REFERENCE':
      return referenceCodec;
    case 'JSON':
      return jsonCodec;
  }
}

/** The pair codec of a DATETIME field with `erpTime` (checked like createCodec's input), else undefined. */
export function createPairCodec(field: FieldMapping, zone: string): DateTimePairCodec | undefined {
  if (field.type !== 'DATETIME' || typeof field.erpTime !== 'string') return undefined;
  const formats = dateFormats(field);
  return dateTimePairCodec(formats.read, formats.write, zone);
}

/** Whether '' is a value rather than a missing one: only SAP flags read inbound, where '' means false. */
export function emptyStringIsValue(field: FieldMapping, direction: MappingDirection): boolean {
  return direction === 'inbound' && field.type === 'BOOLEAN' && field.booleanFormat === 'sap';
}
