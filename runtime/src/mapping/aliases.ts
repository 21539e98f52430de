import type { SpecIssue } from './compile-issues';
import { parsePath } from './path';

export type Aliases = ReadonlyMap<string, string>;

/**
 * Checks `spec.aliases` (classic name → API property, AUFNR → ManufacturingOrder). An alias must name a valid
 * path and must not lead to another alias: chains would make the property a field writes depend on the order
 * aliases are applied in.
 */
export function checkAliases(raw: unknown, issues: SpecIssue[]): Aliases {
  const aliases = new Map<string, string>();
  if (raw === undefined) return aliases;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    issues.push({ code: 'MAPPING_INVALID', path: 'aliases', message: 'aliases must be an object of name → property' });
    return aliases;
  }
  for (const [name, target] of Object.entries(raw)) {
    const path = `aliases.${name}`;
    if (typeof target !== 'string' || parsePath(target) === undefined) {
      issues.push({
        code: 'MAPPING_INVALID',
        path,
        message: `alias target must be a dot path, got ${JSON.stringify(target)}`,
      });
    } else {
      aliases.set(name, target);
    }
  }
  for (const [name, target] of aliases) {
    const first = target.split('.')[0] ?? target;
    const chained = aliases.has(target) ? target : aliases.has(first) ? first : undefined;
    if (chained !== undefined && chained !== name) {
      issues.push({
        code: 'MAPPING_INVALID',
        path: `aliases.${name}`,
        message: `"${name}" → "${target}" leads to another alias ("${chained}"); aliases do not chain`,
      });
    }
  }
  return aliases;
}

/**
 * The API property path an `erp` path means: the whole path when it is an alias, else its first segment
 * replaced when that is one ("AUFNR" → "ManufacturingOrder", "AFKO.GAMNG" → "AFKO.GAMNG" unless AFKO is one).
 */
export function resolveAlias(erp: string, aliases: Aliases): string {
  const whole = aliases.get(erp);
  if (whole !== undefined) return whole;
  const dot = erp.indexOf('.');
  if (dot < 0) return erp;
  const first = aliases.get(erp.slice(0, dot));
  return first === undefined ? erp : first + erp.slice(dot);
}
