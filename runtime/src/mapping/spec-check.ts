import { checkAliases } from './aliases';
import { type SpecIssue, throwSpecIssues } from './compile-issues';
import { compileExpression, type Expression } from './expression';
import { checkFieldOptions, fieldDirections } from './field-check';
import { checkTargets, type FieldPlan, planField } from './field-plan';
import { isTimeZone } from './field-types';
import { parsePath, type Path } from './path';
import type { FieldMapping, MappingDirection, MappingSpec } from './types';

/** A spec that passed every check, compiled for one direction. */
export interface CheckedSpec {
  readonly name: string;
  /** Field mode: the fields taking part in the direction, in spec order. Empty in transform mode. */
  readonly plans: readonly FieldPlan[];
  /** Whole-record mode: the direction's transform. */
  readonly transform: Expression | undefined;
  /** Canonical paths of the direction's key fields, for keys in transform mode. */
  readonly keyPaths: readonly Path[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** Compiles every JSONata expression in the spec, whichever direction is being compiled. */
function compileAll(
  spec: Record<string, unknown>,
  fields: readonly unknown[],
  issues: SpecIssue[],
): Map<string, Expression> {
  const sources: [string, unknown][] = [];
  fields.forEach((field, i) => {
    if (!isObject(field)) return;
    for (const key of ['expression', 'outboundExpression']) {
      if (field[key] !== undefined) sources.push([`fields[${i}].${key}`, field[key]]);
    }
  });
  const transform = spec['transform'];
  if (transform !== undefined && !isObject(transform)) {
    issues.push({ code: 'MAPPING_INVALID', path: 'transform', message: 'transform must be { inbound?, outbound? }' });
  } else if (transform !== undefined) {
    for (const key of ['inbound', 'outbound']) {
      if (transform[key] !== undefined) sources.push([`transform.${key}`, transform[key]]);
    }
  }
  const compiled = new Map<string, Expression>();
  for (const [path, text] of sources) {
    const result = compileExpression(text, path);
    if ('issue' in result) issues.push(result.issue);
    else compiled.set(path, result.expression);
  }
  return compiled;
}

/**
 * Checks the whole spec, both directions, before any record is read, and throws every problem at once
 * (MAPPING_INVALID / MAPPING_EXPRESSION_INVALID). Both directions are checked because a spec is one artefact:
 * a preset that cannot run outbound is broken even while it is only used inbound.
 */
export function checkSpec(raw: MappingSpec, direction: MappingDirection): CheckedSpec {
  const issues: SpecIssue[] = [];
  const problem = (path: string, message: string): void => {
    issues.push({ code: 'MAPPING_INVALID', path, message });
  };
  if (!isObject(raw)) {
    throwSpecIssues('(unnamed)', [{ code: 'MAPPING_INVALID', path: '', message: 'a mapping spec must be an object' }]);
  }
  const spec: Record<string, unknown> = isObject(raw) ? raw : {};
  const name = nonEmptyString(spec['name']) ? spec['name'] : '(unnamed)';
  if (direction !== 'inbound' && direction !== 'outbound')
    problem('direction', 'direction must be inbound or outbound');
  if (!nonEmptyString(spec['name'])) problem('name', 'name must be a non-empty string');
  if (!nonEmptyString(spec['canonical'])) problem('canonical', 'canonical must name the canonical entity');
  const zone = spec['timeZone'] ?? 'UTC';
  if (typeof zone !== 'string' || !isTimeZone(zone)) problem('timeZone', `unknown time zone ${JSON.stringify(zone)}`);
  const aliases = checkAliases(spec['aliases'], issues);
  const rawFields = spec['fields'] ?? [];
  if (!Array.isArray(rawFields)) problem('fields', 'fields must be an array');
  const fields: readonly unknown[] = Array.isArray(rawFields) ? rawFields : [];
  const expressions = compileAll(spec, fields, issues);

  const plans: Record<MappingDirection, FieldPlan[]> = { inbound: [], outbound: [] };
  const keyPaths: Path[] = [];
  let participants = 0;
  fields.forEach((value, i) => {
    const at = `fields[${i}]`;
    if (!isObject(value)) return problem(at, 'a field must be an object');
    const field = value as unknown as FieldMapping;
    const directions = fieldDirections(field);
    if (field.expression !== undefined && !directions.includes('inbound')) {
      problem(`${at}.expression`, 'expression is never used: the field is not inbound');
    }
    if (field.outboundExpression !== undefined && !directions.includes('outbound')) {
      problem(
        `${at}.outboundExpression`,
        'outboundExpression is never used: the field is not outbound (does it lack erp?)',
      );
    }
    const codecs = checkFieldOptions(field, at, directions, typeof zone === 'string' ? zone : 'UTC', issues);
    if (directions.includes(direction)) {
      participants++;
      const keyPath =
        field.key === true && typeof field.canonical === 'string' ? parsePath(field.canonical) : undefined;
      if (keyPath) keyPaths.push(keyPath);
    }
    if (!codecs) return;
    for (const d of directions) {
      const plan = planField({ field, at, direction: d, ...codecs, aliases, expressions }, issues);
      if (plan) plans[d].push(plan);
    }
  });
  checkTargets(plans.inbound, 'inbound', issues);
  checkTargets(plans.outbound, 'outbound', issues);

  const transform = expressions.get(`transform.${direction}`);
  const transformDeclared = isObject(spec['transform']) && spec['transform'][direction] !== undefined;
  if (!transformDeclared && participants === 0) {
    problem('fields', `nothing maps ${direction}: no field takes part in it and transform.${direction} is not set`);
  }
  throwSpecIssues(name, dedupe(issues));
  return { name, plans: transformDeclared ? [] : plans[direction], transform, keyPaths };
}

/** A field checked for both directions can report the same problem twice. */
function dedupe(issues: readonly SpecIssue[]): SpecIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const id = `${issue.path}\u0000${issue.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
