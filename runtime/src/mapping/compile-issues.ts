import { TaktError } from '../errors';

/** One problem with a mapping spec, found before any record is read. */
export interface SpecIssue {
  readonly code: 'MAPPING_INVALID' | 'MAPPING_EXPRESSION_INVALID';
  /** The mapping path: "fields[3].expression", "aliases.AUFNR", "transform.inbound". */
  readonly path: string;
  readonly message: string;
  /** For expressions: JSONata's own error code (S0203), the character position and the token near it. */
  readonly jsonataCode?: string;
  readonly position?: number;
  readonly expressionToken?: string;
}

/**
 * Throws all of a spec's issues at once, so an integrator fixes a mapping in one round instead of one error
 * per save. The code is MAPPING_EXPRESSION_INVALID when every issue is a malformed expression, MAPPING_INVALID
 * otherwise; `details.issues` keeps each issue's own code. The first issue's location is repeated at the top
 * of `details` for hosts that show one. (The detail is `expressionToken`, not `token`: redaction masks any
 * detail named token.)
 */
export function throwSpecIssues(mappingName: string, issues: readonly SpecIssue[]): void {
  const [first] = issues;
  if (!first) return;
  const code = issues.every((i) => i.code === 'MAPPING_EXPRESSION_INVALID')
    ? 'MAPPING_EXPRESSION_INVALID'
    : 'MAPPING_INVALID';
  const lines = issues.map((i) => `${i.path}: ${i.message}`);
  const summary = issues.length === 1 ? lines[0] : `${issues.length} problems: ${lines.join('; ')}`;
  throw new TaktError(code, `Mapping "${mappingName}" is invalid: ${summary}`, {
    details: {
      mapping: mappingName,
      path: first.path,
      ...(first.jsonataCode === undefined
        ? {}
        : { jsonataCode: first.jsonataCode, position: first.position, expressionToken: first.expressionToken }),
      issues: issues.map((i) => ({ ...i })),
    },
  });
}
