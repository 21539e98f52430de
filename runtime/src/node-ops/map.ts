import type { EntityValidator } from '../entities';
import { isErrorCode, TaktError } from '../errors';
import {
  compileMapping,
  fromPreset,
  getPreset,
  listPresets,
  targetShapeValidator,
  type CompiledMapping,
  type FieldMapping,
  type MapContext,
  type MappingDirection,
  type MappingIssue,
  type MappingSpec,
  type PresetOverrides,
} from '../mapping';
import { withoutItemMeta } from './item-meta';
import { nestedEntityValidator } from './nested-validator';

/**
 * Where a node's mapping comes from: a preset adapted by overrides (the usual way), or one JSONata expression
 * that turns the whole record into the output record (`entity` names the canonical entity it produces or
 * consumes, or a target shape such as "mes-sync/jobs"; when it is one Takt knows, records are validated
 * against it).
 */
export type MappingSource =
  | { readonly kind: 'preset'; readonly preset: string; readonly overrides?: PresetOverrides }
  | { readonly kind: 'jsonata'; readonly expression: string; readonly entity?: string };

export interface PrepareMappingOptions {
  readonly source: MappingSource;
  /** Default 'inbound' (ERP record → canonical record). */
  readonly direction?: MappingDirection;
}

/** A mapping checked and compiled once per execution, before any record is read. */
export interface PreparedMapping {
  readonly spec: MappingSpec;
  readonly direction: MappingDirection;
  /** The canonical entity of the mapping ("work_order"); for JSONata without an entity, "record". */
  readonly canonical: string;
  readonly compiled: CompiledMapping;
  /**
   * The canonical entity's schema check, when the entity is one Takt knows; nested children (a job's parts and
   * their operations) are checked against their own entities. For a target shape ("mes-sync/jobs", the MES
   * presets' output) the target API's record rules, nested children included.
   */
  readonly validator: EntityValidator | undefined;
}

/** The result for one input record: the mapped record, or the issues that failed it. */
export interface AppliedRecord {
  readonly index: number;
  readonly record?: Record<string, unknown>;
  readonly issues: readonly MappingIssue[];
  /** One line naming every issue, for a host error; set exactly when the record failed. */
  readonly error?: TaktError;
}

/** A preset as a dropdown shows it. */
export interface MappingPresetOption {
  readonly id: string;
  readonly title: string;
  readonly canonical: string;
  readonly directions: readonly MappingDirection[];
  readonly description: string;
}

/** The canonical name a JSONata mapping without an entity carries: no schema to check records against. */
const UNTYPED_ENTITY = 'record';

/**
 * Checks and compiles the mapping. Everything wrong with it (an unknown preset, a preset that does not map
 * this direction, a bad override, an expression that does not compile) throws MAPPING_INVALID /
 * MAPPING_EXPRESSION_INVALID here, so a host fails the whole run before it reads a single record.
 */
export function prepareMapping(options: PrepareMappingOptions): PreparedMapping {
  const direction = options.direction ?? 'inbound';
  if (direction !== 'inbound' && direction !== 'outbound') {
    throw new TaktError(
      'CONFIG_INVALID',
      `Mapping direction must be "inbound" or "outbound", not "${String(direction)}".`,
    );
  }
  const spec = specOf(options.source, direction);
  const validator = nestedEntityValidator(spec.canonical) ?? targetShapeValidator(spec.canonical);
  const compiled = compileMapping(spec, {
    direction,
    ...(direction === 'inbound' && validator ? { validate: validator } : {}),
  });
  return { spec, direction, canonical: spec.canonical, compiled, validator };
}

function specOf(source: MappingSource, direction: MappingDirection): MappingSpec {
  if (source.kind === 'preset') {
    const preset = getPreset(source.preset);
    if (!preset.directions.includes(direction)) {
      throw new TaktError(
        'MAPPING_INVALID',
        `Preset ${preset.id} maps ${preset.directions.join(' and ')} only, not ${direction}: pick another preset ` +
          'or write a JSONata expression.',
        { details: { preset: preset.id, direction } },
      );
    }
    return fromPreset(source.preset, source.overrides ?? {});
  }
  if (source.kind === 'jsonata') {
    if (typeof source.expression !== 'string' || source.expression.trim() === '') {
      throw new TaktError(
        'MAPPING_INVALID',
        'The JSONata expression is empty: write one that returns the mapped record.',
      );
    }
    const entity = source.entity?.trim() ? source.entity.trim() : UNTYPED_ENTITY;
    return { name: `jsonata→${entity}`, canonical: entity, transform: { [direction]: source.expression } };
  }
  throw new TaktError('MAPPING_INVALID', 'The mapping source must be a preset or a JSONata expression.');
}

/**
 * Maps records one by one: a record that does not map fails alone under its index, with all its issues.
 * `_takt` (the item metadata) is not part of the record and is never seen by the mapping. Outbound, the
 * canonical input is checked against its entity first, as the inbound output is, so both directions refuse
 * what a sync would refuse. Rejects only when the id map (REFERENCE fields) cannot be read.
 */
export async function applyMapping(
  prepared: PreparedMapping,
  records: readonly unknown[],
  ctx: MapContext = {},
): Promise<AppliedRecord[]> {
  const inputs = records.map(recordOf);
  const results = await prepared.compiled.mapAll(inputs, ctx);
  return results.map((result) => {
    const input = inputs[result.index];
    const inputIssues =
      prepared.direction === 'outbound' && prepared.validator && isObject(input) ? prepared.validator(input) : [];
    const issues = [...inputIssues, ...(result.ok ? [] : result.issues)];
    if (result.ok && issues.length === 0) return { index: result.index, record: result.output, issues: [] };
    return { index: result.index, issues, error: recordError(prepared, result.index, issues) };
  });
}

/** One error for a failed record: its first issue's code, every issue in the message. */
export function recordError(prepared: PreparedMapping, index: number, issues: readonly MappingIssue[]): TaktError {
  const first = issues[0];
  const code = first && isErrorCode(first.code) ? first.code : 'RECORD_INVALID';
  const listed = issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
  return new TaktError(code, `Record ${index} does not map with ${prepared.spec.name}: ${listed}`, {
    details: { index, issues: issues.map(({ code: c, path }) => ({ code: c, path })) },
  });
}

/** Every preset, for a dropdown: "SAP production orders → work orders (in)". */
export function listMappingPresets(direction?: MappingDirection): MappingPresetOption[] {
  return listPresets()
    .filter((preset) => direction === undefined || preset.directions.includes(direction))
    .map((preset) => ({
      id: preset.id,
      title: preset.title,
      canonical: preset.mapping.canonical,
      directions: preset.directions,
      description: `${preset.service} / ${preset.entitySet} ↔ ${preset.mapping.canonical} (${preset.directions.join(', ')})`,
    }));
}

/** The canonical field names of a preset, for an override's dropdown. */
export function presetFieldNames(presetId: string): string[] {
  const fields: readonly FieldMapping[] = getPreset(presetId).mapping.fields ?? [];
  return [...new Set(fields.map((field) => field.canonical))];
}

function recordOf(value: unknown): unknown {
  return isObject(value) ? withoutItemMeta(value) : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
