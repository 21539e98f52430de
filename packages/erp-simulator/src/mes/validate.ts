import { ENTITY_SPECS, type FieldRule, type MesEntity } from './entities';

export type FieldValue = string | number | boolean;

/** A record that passed the field rules, with its nested children validated too, ready to apply. */
export interface ValidRecord {
  readonly entity: MesEntity;
  readonly externalId: string;
  readonly externalSource: string;
  /** The parent's external id (job for a part, part for an operation); absent for roots. */
  readonly parentExternalId?: string;
  /** Known fields only, in the table's order; unknown properties are dropped as the MES would ignore them. */
  readonly fields: Readonly<Record<string, FieldValue>>;
  readonly children: readonly ValidRecord[];
}

export type Validation =
  { readonly ok: true; readonly record: ValidRecord } | { readonly ok: false; readonly message: string };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const COLOR = /^#[0-9a-fA-F]{6}$/;

/**
 * Checks one sync record, and its nested children, against the entity's rules. The first problem wins and is
 * reported as the vendor does: one sentence naming the field (`external_id is required for sync operations`,
 * `Invalid due_date format`). A nested child's message is prefixed with where it sits (`parts[0].operations[1]:`)
 * so a caller can find it in the record it sent.
 *
 * `inherited` carries what a nested record takes from its parent: the source and the parent's external id.
 */
export function validateRecord(
  entity: MesEntity,
  input: unknown,
  inherited?: { readonly externalSource: string; readonly parentExternalId: string },
): Validation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail('Each record must be a JSON object');
  }
  const raw = input as Record<string, unknown>;
  const spec = ENTITY_SPECS[entity];

  const externalId = raw.external_id;
  if (typeof externalId !== 'string' || externalId.trim() === '') {
    return fail('external_id is required for sync operations');
  }
  const source = raw.external_source ?? inherited?.externalSource;
  if (typeof source !== 'string' || source.trim() === '') {
    return fail('external_source is required for sync operations');
  }

  let parentExternalId: string | undefined;
  if (spec.parent) {
    const given = raw[spec.parent.field];
    if (inherited) {
      if (given !== undefined && given !== inherited.parentExternalId) {
        return fail(`${spec.parent.field} must match the enclosing record (${inherited.parentExternalId})`);
      }
      parentExternalId = inherited.parentExternalId;
    } else if (typeof given === 'string' && given.trim() !== '') {
      parentExternalId = given;
    } else {
      return fail(`${spec.parent.field} is required`);
    }
  }

  const fields: Record<string, FieldValue> = {};
  for (const [name, rule] of Object.entries(spec.fields)) {
    const value = raw[name];
    if (value === undefined || value === null) {
      if (rule.required) return fail(`${name} is required`);
      continue;
    }
    const problem = checkField(name, rule, value);
    if (problem) return fail(problem);
    fields[name] = value as FieldValue;
  }

  const children: ValidRecord[] = [];
  if (spec.children) {
    const list = raw[spec.children.field];
    if (list !== undefined && list !== null) {
      if (!Array.isArray(list)) return fail(`${spec.children.field} must be an array`);
      for (const [index, child] of list.entries()) {
        const result = validateRecord(spec.children.entity, child, {
          externalSource: source,
          parentExternalId: externalId,
        });
        if (!result.ok) return fail(nestMessage(spec.children.field, index, result.message));
        children.push(result.record);
      }
    }
  }

  return {
    ok: true,
    record: {
      entity,
      externalId,
      externalSource: source,
      ...(parentExternalId === undefined ? {} : { parentExternalId }),
      fields,
      children,
    },
  };
}

function checkField(name: string, rule: FieldRule, value: unknown): string | undefined {
  switch (rule.type) {
    case 'string':
      return typeof value === 'string' ? undefined : `${name} must be a string`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${name} must be true or false`;
    case 'date':
      return typeof value === 'string' && isCalendarDate(value) ? undefined : `Invalid ${name} format`;
    case 'color':
      return typeof value === 'string' && COLOR.test(value) ? undefined : `Invalid ${name} format (expected #rrggbb)`;
    case 'enum':
      return typeof value === 'string' && rule.values.includes(value)
        ? undefined
        : `Invalid ${name}: must be one of ${rule.values.join(', ')}`;
    case 'integer':
    case 'number': {
      const whole = rule.type === 'integer';
      if (typeof value !== 'number' || !Number.isFinite(value) || (whole && !Number.isInteger(value))) {
        return `${name} must be ${whole ? 'a whole number' : 'a number'}`;
      }
      return rule.min !== undefined && value < rule.min ? `${name} must be at least ${rule.min}` : undefined;
    }
  }
}

/** YYYY-MM-DD naming a real day (no 2024-02-30). */
function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const NESTED_PATH = /^[a-z_]+\[\d+\](?:\.[a-z_]+\[\d+\])*: /;

/** Prefixes a child's message with where the child sits: `parts[0].operations[1]: cell_name is required`. */
export function nestMessage(field: string, index: number, message: string): string {
  return `${field}[${index}]${NESTED_PATH.test(message) ? '.' : ': '}${message}`;
}

function fail(message: string): Validation {
  return { ok: false, message };
}
