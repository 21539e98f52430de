import { type Aliases, resolveAlias } from './aliases';
import type { SpecIssue } from './compile-issues';
import type { Expression } from './expression';
import { type CanonicalValue, type DateTimePairCodec, emptyStringIsValue, type FieldCodec } from './field-types';
import { isMissing } from './missing';
import { parsePath, type Path } from './path';
import type { EnumFlag, FieldMapping, JsonValue, MappingDirection, ReferenceSpec } from './types';

/** One rule of an ENUM read from flags, its properties resolved. */
export interface FlagRule {
  readonly paths: readonly Path[];
  readonly value: string;
}

/**
 * The time half of a date + time pair: inbound the property read beside the date, outbound the property
 * written beside it.
 */
export interface TimePart {
  readonly path: Path;
  readonly name: string;
  readonly codec: DateTimePairCodec;
}

export type FieldSource =
  | { readonly kind: 'path'; readonly path: Path }
  | { readonly kind: 'flags'; readonly rules: readonly FlagRule[] }
  | { readonly kind: 'expression'; readonly expression: Expression }
  | { readonly kind: 'constant'; readonly value: JsonValue };

/** One field compiled for one direction: where its value comes from, how it converts, where it goes. */
export interface FieldPlan {
  /** The mapping path of the field, "fields[3]", for messages. */
  readonly at: string;
  readonly target: Path;
  /** The target as written in issues: the canonical path inbound, the ERP property outbound. */
  readonly targetName: string;
  readonly source: FieldSource;
  readonly codec: FieldCodec;
  readonly key: boolean;
  /** Key fields are required whatever `required` says. */
  readonly required: boolean;
  /** The default in canonical form, checked when the mapping compiled. */
  readonly defaultValue: CanonicalValue | undefined;
  readonly emptyIsValue: boolean;
  readonly reference: ReferenceSpec | undefined;
  /** Set for a date + time pair: `source` (inbound) or `target` (outbound) is then the date property. */
  readonly time: TimePart | undefined;
}

export interface PlanInput {
  readonly field: FieldMapping;
  readonly at: string;
  readonly direction: MappingDirection;
  readonly codec: FieldCodec;
  /** Set when the field is a date + time pair (checked: DATETIME with a string erpTime). */
  readonly pairCodec: DateTimePairCodec | undefined;
  readonly aliases: Aliases;
  /** Every compiled expression of the spec by mapping path ("fields[3].expression"). */
  readonly expressions: ReadonlyMap<string, Expression>;
}

function pathOf(text: unknown, at: string, what: string, issues: SpecIssue[]): Path | undefined {
  const path = typeof text === 'string' ? parsePath(text) : undefined;
  if (path === undefined) {
    const hint = typeof text === 'string' ? '; array indexes and other syntax need an expression' : '';
    issues.push({ code: 'MAPPING_INVALID', path: at, message: `${what} must be a dot path of names${hint}` });
  }
  return path;
}

function isFlagList(value: unknown): value is readonly EnumFlag[] {
  return (
    Array.isArray(value) &&
    value.every(
      (rule: unknown) =>
        typeof rule === 'object' &&
        rule !== null &&
        Array.isArray((rule as { erp?: unknown }).erp) &&
        (rule as { erp: unknown[] }).erp.every((p) => typeof p === 'string'),
    )
  );
}

function source(input: PlanInput, issues: SpecIssue[]): FieldSource | undefined {
  const { field, at, direction, aliases, expressions } = input;
  const expressionKey = direction === 'inbound' ? 'expression' : 'outboundExpression';
  const hasExpression = field[expressionKey] !== undefined;
  const hasConstant = field.constant !== undefined;
  if (hasExpression && hasConstant) {
    issues.push({
      code: 'MAPPING_INVALID',
      path: `${at}.constant`,
      message: `ambiguous ${direction} source: both ${expressionKey} and constant are set`,
    });
    return undefined;
  }
  if (hasExpression) {
    const expression = expressions.get(`${at}.${expressionKey}`);
    return expression === undefined ? undefined : { kind: 'expression', expression };
  }
  if (hasConstant) return { kind: 'constant', value: field.constant as JsonValue };
  const flags = field.enum?.flags;
  if (direction === 'inbound' && field.type === 'ENUM' && flags !== undefined) {
    // A malformed list was reported by the field check; there is nothing to plan from it.
    if (!isFlagList(flags)) return undefined;
    const rules = flags.map((rule, r) => ({
      value: rule.value,
      paths: rule.erp.map((erp, e) =>
        pathOf(resolveAlias(erp, aliases), `${at}.enum.flags[${r}].erp[${e}]`, 'a flag', issues),
      ),
    }));
    const resolved = rules.every((rule) => rule.paths.every((p) => p !== undefined));
    return resolved ? { kind: 'flags', rules: rules as FlagRule[] } : undefined;
  }
  if (direction === 'outbound') {
    const path = pathOf(field.canonical, `${at}.canonical`, 'canonical', issues);
    return path && { kind: 'path', path };
  }
  if (field.erp === undefined) {
    issues.push({
      code: 'MAPPING_INVALID',
      path: at,
      message: 'no inbound source: set erp, expression or constant (or make the field outbound-only)',
    });
    return undefined;
  }
  const erp = typeof field.erp === 'string' ? resolveAlias(field.erp, aliases) : field.erp;
  const path = pathOf(erp, `${at}.erp`, 'erp', issues);
  return path && { kind: 'path', path };
}

function target(input: PlanInput, issues: SpecIssue[]): { path: Path; name: string } | undefined {
  const { field, at, direction, aliases } = input;
  if (direction === 'inbound') {
    const path = pathOf(field.canonical, `${at}.canonical`, 'canonical', issues);
    return path && { path, name: path.join('.') };
  }
  if (field.erp === undefined) {
    issues.push({
      code: 'MAPPING_INVALID',
      path: `${at}.erp`,
      message: 'an outbound field needs erp, the property it writes (or make the field inbound-only)',
    });
    return undefined;
  }
  const erp = typeof field.erp === 'string' ? resolveAlias(field.erp, aliases) : field.erp;
  const path = pathOf(erp, `${at}.erp`, 'erp', issues);
  return path && { path, name: path.join('.') };
}

/**
 * Constants are values of the source side (an ERP value inbound, a canonical value outbound) and defaults are
 * canonical values; both are converted now so a bad one fails the mapping, not every record.
 */
function checkedDefault(input: PlanInput, issues: SpecIssue[]): CanonicalValue | undefined {
  const { field, at, direction, codec } = input;
  // A constant that reads as missing (null, '', SAP's initial date) is treated at run time like a missing value.
  const blank =
    isMissing(field.constant, emptyStringIsValue(field, direction)) ||
    (direction === 'inbound' && codec.isBlankErp?.(field.constant) === true);
  if (!blank) {
    const read = direction === 'inbound' ? codec.fromErp(field.constant) : codec.fromCanonical(field.constant);
    const written = read.ok && direction === 'outbound' ? codec.toErp(read.value) : read;
    if (!written.ok) issues.push({ code: 'MAPPING_INVALID', path: `${at}.constant`, message: written.message });
  }
  if (field.default === undefined || isMissing(field.default, false)) return undefined;
  const value = codec.fromCanonical(field.default);
  const written = value.ok && direction === 'outbound' ? codec.toErp(value.value) : value;
  if (!written.ok) {
    issues.push({ code: 'MAPPING_INVALID', path: `${at}.default`, message: written.message });
    return undefined;
  }
  return value.ok ? value.value : undefined;
}

function timePart(input: PlanInput, issues: SpecIssue[]): TimePart | undefined {
  const { field, at, aliases, pairCodec } = input;
  if (pairCodec === undefined || typeof field.erpTime !== 'string') return undefined;
  const path = pathOf(resolveAlias(field.erpTime, aliases), `${at}.erpTime`, 'erpTime', issues);
  return path && { path, name: path.join('.'), codec: pairCodec };
}

/** The field compiled for `direction`, or undefined after recording why it cannot be. */
export function planField(input: PlanInput, issues: SpecIssue[]): FieldPlan | undefined {
  const { field, at, direction, codec } = input;
  const from = source(input, issues);
  const to = target(input, issues);
  const time = timePart(input, issues);
  const defaultValue = checkedDefault(input, issues);
  if (!from || !to || (input.pairCodec !== undefined && !time)) return undefined;
  const key = field.key === true;
  return {
    at,
    target: to.path,
    targetName: to.name,
    source: from,
    codec,
    key,
    required: key || field.required === true,
    defaultValue,
    emptyIsValue: emptyStringIsValue(field, direction),
    reference: field.type === 'REFERENCE' ? field.reference : undefined,
    time,
  };
}

/**
 * Two fields may not write the same output property, nor one write inside another's ("quantity" and
 * "quantity.good"): the later write would silently replace the earlier. Checked after alias resolution, so
 * AUFNR and ManufacturingOrder collide.
 */
export function checkTargets(plans: readonly FieldPlan[], direction: MappingDirection, issues: SpecIssue[]): void {
  // Outbound a date + time pair writes two properties, and its time may clash like any other target.
  const targets = plans.flatMap((plan) => {
    const own = {
      at: plan.at,
      side: direction === 'inbound' ? 'canonical' : 'erp',
      path: plan.target,
      name: plan.targetName,
    };
    const time = direction === 'outbound' && plan.time;
    return time ? [own, { at: plan.at, side: 'erpTime', path: time.path, name: time.name }] : [own];
  });
  targets.forEach((target, i) => {
    const clash = targets.slice(0, i).find((other) => {
      const shorter = Math.min(other.path.length, target.path.length);
      return other.path.slice(0, shorter).every((segment, s) => segment === target.path[s]);
    });
    if (clash) {
      issues.push({
        code: 'MAPPING_INVALID',
        path: `${target.at}.${target.side}`,
        message: `${direction} target "${target.name}" clashes with "${clash.name}" written by ${clash.at}`,
      });
    }
  });
}
