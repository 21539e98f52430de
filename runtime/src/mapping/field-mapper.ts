import { evaluateExpression } from './expression';
import type { FieldPlan, FlagRule } from './field-plan';
import type { CanonicalValue } from './field-types';
import { formatKey } from './key';
import { isMissing } from './missing';
import { readPath, writePath } from './path';
import { resolveReference } from './references';
import type { JsonValue, MapContext, MappingDirection, MappingIssue } from './types';

export type Mapped =
  | { readonly ok: true; readonly output: Record<string, unknown>; readonly key: string }
  | { readonly ok: false; readonly issues: readonly MappingIssue[] };

type FieldOutcome =
  | {
      readonly value: JsonValue | undefined;
      readonly keyValue: CanonicalValue | undefined;
      /** Still to be looked up in the id map (a REFERENCE read from the record, not a default). */
      readonly lookup: boolean;
      /** Outbound date + time pair: the time of day, written to the pair's time property. */
      readonly time?: JsonValue;
    }
  | { readonly issue: MappingIssue };

const ABSENT: FieldOutcome = { value: undefined, keyValue: undefined, lookup: false };

/**
 * One field of one record, up to the id-map lookup. Inbound: ERP value → canonical. Outbound: canonical value
 * → canonical form → ERP wire form. A missing value takes the default (a canonical value), else fails a
 * required field, else leaves the output property out: an absent property, not null, so an update never
 * clears an ERP field the mapping did not read. Synchronous, so the fast path costs no promise per field.
 */
function issue(plan: FieldPlan, code: string, message: string): FieldOutcome {
  return { issue: { code, path: plan.targetName, message: `${plan.at}: ${message}` } };
}

/** A flag is set when it is 'X' (older `_SRV` APIs) or true (CDS-based APIs), erp-protocols.md A.5. */
function isSet(flag: unknown): boolean {
  return flag === 'X' || flag === true;
}

/** The value of the first rule with a set flag; undefined (missing) when none is set. */
function readFlags(record: unknown, rules: readonly FlagRule[]): string | undefined {
  for (const rule of rules) {
    for (const path of rule.paths) if (isSet(readPath(record, path))) return rule.value;
  }
  return undefined;
}

/**
 * Inbound, `raw` is the ERP value (the date of a date + time pair, `time` its time of day); outbound the
 * canonical value.
 */
function convertField(plan: FieldPlan, raw: unknown, inbound: boolean, time?: unknown): FieldOutcome {
  let canonical: CanonicalValue;
  const pair = plan.time?.codec;
  const missing = pair
    ? inbound
      ? pair.isBlankDate(raw)
      : isMissing(raw, false)
    : isMissing(raw, plan.emptyIsValue) || (inbound && plan.codec.isBlankErp?.(raw) === true);
  if (missing) {
    if (plan.defaultValue === undefined) {
      return plan.required ? issue(plan, 'MAPPING_FIELD_REQUIRED', 'required value is missing') : ABSENT;
    }
    canonical = plan.defaultValue;
    // An inbound default is already the canonical value, a target id for references: nothing to look up.
    if (inbound) return { value: canonical, keyValue: canonical, lookup: false };
  } else {
    const read = !inbound ? plan.codec.fromCanonical(raw) : pair ? pair.fromErp(raw, time) : plan.codec.fromErp(raw);
    if (!read.ok) return issue(plan, read.code, read.message);
    canonical = read.value;
  }
  if (inbound) return { value: canonical, keyValue: canonical, lookup: plan.reference !== undefined };
  if (pair) {
    const halves = pair.toErp(canonical);
    if (!halves.ok) return issue(plan, halves.code, halves.message);
    const [date, timeOfDay] = halves.value;
    return { value: date, keyValue: canonical, lookup: false, time: timeOfDay };
  }
  const written = plan.codec.toErp(canonical);
  if (!written.ok) return issue(plan, written.code, written.message);
  return { value: written.value, keyValue: canonical, lookup: plan.reference !== undefined };
}

/** Maps every field of one record, collecting all of its issues rather than stopping at the first. */
export async function mapFields(
  plans: readonly FieldPlan[],
  direction: MappingDirection,
  record: unknown,
  ctx: MapContext,
): Promise<Mapped> {
  const inbound = direction === 'inbound';
  const output: Record<string, unknown> = {};
  const issues: MappingIssue[] = [];
  const keyValues: CanonicalValue[] = [];
  for (const plan of plans) {
    const { source } = plan;
    let raw: unknown;
    let time: unknown;
    if (source.kind === 'path') {
      raw = readPath(record, source.path);
      if (inbound && plan.time) time = readPath(record, plan.time.path);
    } else if (source.kind === 'flags') {
      raw = readFlags(record, source.rules);
    } else if (source.kind === 'constant') {
      raw = source.value;
    } else {
      const result = await evaluateExpression(source.expression, record);
      if (!result.ok) {
        issues.push({
          code: 'MAPPING_EXPRESSION_FAILED',
          path: plan.targetName,
          message: `${plan.at}: ${result.message}`,
        });
        continue;
      }
      raw = result.value;
    }
    const outcome = convertField(plan, raw, inbound, time);
    if ('issue' in outcome) {
      issues.push(outcome.issue);
      continue;
    }
    let { value, keyValue } = outcome;
    if (outcome.lookup && plan.reference && typeof value === 'string') {
      const resolved = await resolveReference(value, plan.reference, direction, ctx, plan.targetName, plan.at);
      if ('issue' in resolved) {
        issues.push(resolved.issue);
        continue;
      }
      value = resolved.id;
      if (inbound) keyValue = resolved.id;
    }
    if (value !== undefined) writePath(output, plan.target, value);
    if (outcome.time !== undefined && plan.time) writePath(output, plan.time.path, outcome.time);
    if (plan.key) keyValues.push(keyValue ?? null);
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, output, key: formatKey(keyValues) };
}
