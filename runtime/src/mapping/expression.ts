import jsonata from 'jsonata';
import type { SpecIssue } from './compile-issues';

/** JSONata's error object (thrown by both the parser and the evaluator); not an Error subclass in every case. */
interface JsonataFailure {
  readonly code: string;
  readonly position?: number;
  readonly token?: unknown;
  readonly message: string;
}

function isJsonataFailure(value: unknown): value is JsonataFailure {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

export type Expression = jsonata.Expression;

/**
 * Compiles a JSONata expression once, at mapping compile time. A syntax error becomes a spec issue that names
 * the mapping path, JSONata's code, the position and the token, e.g. `fields[3].expression: S0203 at
 * position 4 near "(end)": Expected ")" before end of expression`.
 */
export function compileExpression(
  text: unknown,
  path: string,
): { readonly expression: Expression } | { readonly issue: SpecIssue } {
  if (typeof text !== 'string' || text.trim() === '') {
    return { issue: { code: 'MAPPING_INVALID', path, message: 'expression must be a non-empty string' } };
  }
  try {
    return { expression: jsonata(text) };
  } catch (error) {
    if (!isJsonataFailure(error)) {
      return { issue: { code: 'MAPPING_EXPRESSION_INVALID', path, message: String(error) } };
    }
    const token = error.token === undefined ? undefined : String(error.token);
    const near = token === undefined ? '' : ` near ${JSON.stringify(token)}`;
    return {
      issue: {
        code: 'MAPPING_EXPRESSION_INVALID',
        path,
        message: `${error.code} at position ${error.position ?? '?'}${near}: ${error.message}`,
        jsonataCode: error.code,
        ...(error.position === undefined ? {} : { position: error.position }),
        ...(token === undefined ? {} : { expressionToken: token }),
      },
    };
  }
}

export type Evaluated =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** Evaluates on one record; a failure is that record's problem (MAPPING_EXPRESSION_FAILED), never a throw. */
export async function evaluateExpression(expression: Expression, input: unknown): Promise<Evaluated> {
  try {
    return { ok: true, value: await expression.evaluate(input) };
  } catch (error) {
    if (isJsonataFailure(error)) {
      const at = error.position === undefined ? '' : ` at position ${error.position}`;
      return { ok: false, message: `${error.code}${at}: ${error.message}` };
    }
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
