import { CANONICAL_ENTITIES, isCanonicalEntity, validateEntity, type EntityValidator } from '../entities';
import type { MappingIssue } from '../mapping';

interface ChildField {
  /** The parent's field holding the children ("parts"). */
  readonly field: string;
  /** The child's field naming its parent's external id ("job_external_id"). */
  readonly parentField: string;
  readonly validate: EntityValidator;
  readonly children: readonly ChildField[];
}

/**
 * A canonical entity's schema check that accepts the nesting Upsert Sync writes: a job may carry `parts`, a
 * part `operations` (CANONICAL_ENTITIES' parent links). The record is checked without its child arrays; each
 * child is checked against its own entity as Upsert Sync will send it — with the parent's external id in the
 * parent field and the parent's `external_source` when it has none. Issue paths name the child
 * ("parts.1.quantity"). Undefined for a name that is not a canonical entity.
 */
export function nestedEntityValidator(entity: string): EntityValidator | undefined {
  if (!isCanonicalEntity(entity)) return undefined;
  const validate = validateEntity(entity);
  const children = childFields(entity);
  return (record) => check(record, validate, children, '');
}

function childFields(entity: string): ChildField[] {
  return Object.entries(CANONICAL_ENTITIES).flatMap(([name, definition]) =>
    'parent' in definition && definition.parent.entity === entity
      ? [
          {
            field: `${name}s`,
            parentField: definition.parent.field,
            validate: validateEntity(name),
            children: childFields(name),
          },
        ]
      : [],
  );
}

function check(
  record: unknown,
  validate: EntityValidator,
  children: readonly ChildField[],
  prefix: string,
): MappingIssue[] {
  if (!isObject(record)) return validate(record).map((issue) => prefixed(issue, prefix));
  const nested = new Set(children.map((child) => child.field));
  const own = Object.fromEntries(Object.entries(record).filter(([field]) => !nested.has(field)));
  const issues = validate(own).map((issue) => prefixed(issue, prefix));
  for (const child of children) {
    const list = record[child.field];
    if (list === undefined || list === null) continue;
    const at = `${prefix}${child.field}`;
    if (!Array.isArray(list)) {
      issues.push({ code: 'RECORD_INVALID', path: at, message: `${child.field} must be a list of records` });
      continue;
    }
    list.forEach((element: unknown, position) => {
      const filled = isObject(element) ? withParent(element, record, child.parentField) : element;
      issues.push(...check(filled, child.validate, child.children, `${at}.${position}.`));
    });
  }
  return issues;
}

/** The child as Upsert Sync sends it: the parent's external id and (when missing) its external source. */
function withParent(
  child: Record<string, unknown>,
  parent: Record<string, unknown>,
  parentField: string,
): Record<string, unknown> {
  const filled: Record<string, unknown> = { ...child };
  if (filled[parentField] === undefined || filled[parentField] === null) filled[parentField] = parent['external_id'];
  if (filled['external_source'] === undefined || filled['external_source'] === null) {
    filled['external_source'] = parent['external_source'];
  }
  return filled;
}

function prefixed(issue: MappingIssue, prefix: string): MappingIssue {
  if (prefix === '') return issue;
  return { ...issue, path: issue.path === '' ? prefix.slice(0, -1) : `${prefix}${issue.path}` };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
