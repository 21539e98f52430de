export { compileMapping, type CompiledMapping, type CompileOptions, type OutputValidator } from './compile';
export { type SpecIssue } from './compile-issues';
export { formatKey } from './key';
export { normalizeDecimal } from './field-types/decimal';
export type {
  BooleanFormat,
  DateTimeFormat,
  EnumFlag,
  EnumSpec,
  ExternalIdResolver,
  FieldDirection,
  FieldMapping,
  FieldType,
  JsonValue,
  MapContext,
  MappingDirection,
  MappingIssue,
  MappingSpec,
  MapRecordResult,
  NumberFormat,
  RecordTransform,
  ReferenceResolver,
  ReferenceSpec,
} from './types';
export * from './simulate';
export * from './presets';
