import { evaluateExpression, type Expression } from './expression';
import type { Mapped } from './field-mapper';
import { readJson } from './field-types/json';
import { formatKey } from './key';
import { isMissing } from './missing';
import { readPath, type Path } from './path';
import type { MappingDirection, MappingIssue } from './types';

/**
 * Whole-record mode: the direction's JSONata transform turns the input record into the output record, which
 * must be a JSON object (copied, so JSONata sequences become arrays). The key is read from the canonical side
 * (the output inbound, the input outbound) at the key fields' canonical paths; a missing key value fails the
 * record like a missing key field does in field mode.
 */
export async function mapTransform(
  transform: Expression,
  keyPaths: readonly Path[],
  direction: MappingDirection,
  record: unknown,
): Promise<Mapped> {
  const fail = (code: string, message: string, path = ''): Mapped => ({ ok: false, issues: [{ code, path, message }] });
  const at = `transform.${direction}`;
  const result = await evaluateExpression(transform, record);
  if (!result.ok) return fail('MAPPING_EXPRESSION_FAILED', `${at}: ${result.message}`);
  const copied = readJson(result.value);
  if (!copied.ok || typeof copied.value !== 'object' || copied.value === null || Array.isArray(copied.value)) {
    return fail('MAPPING_TYPE_INVALID', `${at}: the transform must give one JSON object for the record`);
  }
  const output = copied.value;
  const canonicalSide = direction === 'inbound' ? output : record;
  const issues: MappingIssue[] = [];
  const keyValues = keyPaths.map((path) => {
    const value = readPath(canonicalSide, path);
    if (isMissing(value, false)) {
      issues.push({ code: 'MAPPING_FIELD_REQUIRED', path: path.join('.'), message: `${at}: key value is missing` });
    }
    return value;
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, output, key: formatKey(keyValues) };
}
