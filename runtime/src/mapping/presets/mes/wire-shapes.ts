import { z } from 'zod';
import type { MappingIssue } from '../../types';

/**
 * The records the MES sync API accepts (the `mes-sync-api` connection profile), as shapes a mapping can
 * produce instead of a canonical entity: `mes-sync/jobs`, `mes-sync/parts`, `mes-sync/operations`,
 * `mes-sync/cells`, `mes-sync/resources`. The rules are the API's: upsert by external_id + external_source,
 * whole numbers where it wants them (a part's quantity is a count of at least 1), calendar dates as
 * YYYY-MM-DD, an operation's cell by name. A job may nest `parts[]`, a part `operations[]`; a nested record
 * takes its source and its parent's id from the record it sits in, so it may leave both out. Fields the API
 * does not know are refused, because it would drop them without a word.
 */

/** The target name in shape ids: "mes-sync/jobs". */
export const MES_SYNC_TARGET = 'mes-sync';

export type MesSyncEntity = 'cells' | 'resources' | 'jobs' | 'parts' | 'operations';

/** Checks one mapped record against a shape; an empty list means it is valid. */
export type ShapeValidator = (record: unknown) => MappingIssue[];

const nonBlank = (value: string): boolean => value.trim() !== '';

const required = (field: string) =>
  z
    .string({
      error: (issue) =>
        issue.input === undefined || issue.input === null ? `${field} is required` : `${field} must be a string`,
    })
    .refine(nonBlank, `${field} must not be empty`);

const optionalText = (field: string) => z.string({ error: `${field} must be a string` }).nullish();

const optionalId = (field: string) =>
  z
    .string({ error: `${field} must be a string` })
    .refine(nonBlank, `${field} must not be empty`)
    .nullish();

const wholeNumber = (field: string, min: number) =>
  z
    .number({ error: `${field} must be a whole number (a JSON number)` })
    .int(`${field} must be a whole number`)
    .min(min, `${field} must be at least ${min}`)
    .nullish();

/** A top-level record names its source; a nested one inherits its parent's. */
function identity(nested: boolean) {
  return {
    external_id: required('external_id'),
    external_source: nested ? optionalId('external_source') : required('external_source'),
  };
}

function operationShape(nested: boolean) {
  return z.strictObject({
    ...identity(nested),
    part_external_id: nested ? optionalId('part_external_id') : required('part_external_id'),
    operation_name: required('operation_name'),
    cell_name: required('cell_name'),
    sequence: wholeNumber('sequence', 0),
    estimated_time_minutes: z
      .number({ error: 'estimated_time_minutes must be a number' })
      .min(0, 'estimated_time_minutes must be at least 0')
      .nullish(),
    notes: optionalText('notes'),
  });
}

function partShape(nested: boolean) {
  return z.strictObject({
    ...identity(nested),
    job_external_id: nested ? optionalId('job_external_id') : required('job_external_id'),
    part_number: required('part_number'),
    material: optionalText('material'),
    quantity: wholeNumber('quantity', 1),
    notes: optionalText('notes'),
    operations: z.array(operationShape(true), { error: 'operations must be a list of records' }).nullish(),
  });
}

const jobShape = z.strictObject({
  ...identity(false),
  job_number: required('job_number'),
  customer: optionalText('customer'),
  due_date: z.iso.date({ error: 'due_date must be a calendar date YYYY-MM-DD' }).nullish(),
  priority: wholeNumber('priority', 0),
  notes: optionalText('notes'),
  parts: z.array(partShape(true), { error: 'parts must be a list of records' }).nullish(),
});

const cellShape = z.strictObject({
  ...identity(false),
  name: required('name'),
  color: z
    .string({ error: 'color must be a string' })
    .regex(/^#[0-9a-fA-F]{6}$/, 'color must be #rrggbb')
    .nullish(),
  sequence: wholeNumber('sequence', 0),
  active: z.boolean({ error: 'active must be true or false' }).nullish(),
});

const resourceShape = z.strictObject({
  ...identity(false),
  name: required('name'),
  type: z
    .enum(['tooling', 'fixture', 'mold', 'material', 'equipment'], {
      error: 'type must be one of tooling, fixture, mold, material, equipment',
    })
    .nullish(),
  description: optionalText('description'),
  identifier: optionalText('identifier'),
  location: optionalText('location'),
  status: z
    .enum(['available', 'in_use', 'maintenance'], { error: 'status must be one of available, in_use, maintenance' })
    .nullish(),
});

const SHAPES: Readonly<Record<MesSyncEntity, z.ZodType>> = {
  cells: cellShape,
  resources: resourceShape,
  jobs: jobShape,
  parts: partShape(false),
  operations: operationShape(false),
};

/**
 * The canonical entity each MES entity stands for (as the mes-sync-api profile's entities name them), whose
 * parent links Upsert Sync nests by: a job's `parts`, a part's `operations`.
 */
const CANONICAL_OF: Readonly<Record<MesSyncEntity, string>> = {
  cells: 'work_center',
  resources: 'resource',
  jobs: 'job',
  parts: 'part',
  operations: 'operation',
};

/** The shape id of an MES sync API entity: "mes-sync/jobs". */
export function mesSyncShape(entity: MesSyncEntity): string {
  return `${MES_SYNC_TARGET}/${entity}`;
}

/** Every shape id a mapping may name as its `canonical` instead of a canonical entity. */
export function listTargetShapes(): string[] {
  return (Object.keys(SHAPES) as MesSyncEntity[]).map(mesSyncShape);
}

/**
 * The canonical entity a target shape nests like ("mes-sync/jobs" → "job"), for the nested child fields
 * Upsert Sync splits off; undefined when the name is not a target shape.
 */
export function targetShapeEntity(name: string): string | undefined {
  const entity = shapeEntityOf(name);
  return entity === undefined ? undefined : CANONICAL_OF[entity];
}

/**
 * The check of a target shape ("mes-sync/jobs") as a mapping validator, or undefined when the name is not one.
 * Issues carry dotted paths ("parts.0.quantity") and say what the API wants.
 */
export function targetShapeValidator(name: string): ShapeValidator | undefined {
  const entity = shapeEntityOf(name);
  if (entity === undefined) return undefined;
  const schema = SHAPES[entity];
  return (record) => {
    const result = schema.safeParse(record);
    return result.success ? [] : result.error.issues.flatMap((issue) => toIssues(issue, entity));
  };
}

function shapeEntityOf(name: string): MesSyncEntity | undefined {
  const prefix = `${MES_SYNC_TARGET}/`;
  if (!name.startsWith(prefix)) return undefined;
  const entity = name.slice(prefix.length);
  return Object.prototype.hasOwnProperty.call(SHAPES, entity) ? (entity as MesSyncEntity) : undefined;
}

function toIssues(issue: z.core.$ZodIssue, entity: string): MappingIssue[] {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      code: 'RECORD_INVALID',
      path: path ? `${path}.${key}` : key,
      message: `Unknown field "${key}": the MES sync API has no such field on ${path ? 'this nested record' : entity} and would drop it`,
    }));
  }
  return [{ code: 'RECORD_INVALID', path, message: issue.message }];
}
