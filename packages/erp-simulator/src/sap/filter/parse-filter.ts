import { badRequest } from '../odata/odata-error';
import type { CompareOp, FilterNode, Literal, ODataVersion, StringFunction } from './filter-ast';
import { bareLiteral, prefixedLiteral } from './literals';

/**
 * A recursive-descent parser for the $filter subset (reference A.7):
 *   or-expr  := and-expr ('or' and-expr)*
 *   and-expr := unary ('and' unary)*
 *   unary    := 'not' unary | '(' or-expr ')' | function | operand op operand
 * One side of a comparison must be a property, the other a literal.
 */
type Token =
  | { readonly t: 'ident'; readonly v: string }
  | { readonly t: 'literal'; readonly v: Literal }
  | { readonly t: 'punct'; readonly v: '(' | ')' | ',' };

const COMPARE_OPS: readonly string[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];
const FUNCTIONS: Record<ODataVersion, readonly StringFunction[]> = {
  v2: ['startswith', 'endswith', 'substringof'],
  v4: ['startswith', 'endswith', 'contains'],
};

function tokenize(text: string, version: ODataVersion): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const readQuoted = (): string => {
    // i points at the opening quote; '' inside is an escaped quote.
    let value = '';
    i++;
    for (;;) {
      if (i >= text.length) throw badRequest(`Unterminated string literal in $filter: ${text}`);
      const c = text[i];
      if (c === "'") {
        if (text[i + 1] === "'") {
          value += "'";
          i += 2;
          continue;
        }
        i++;
        return value;
      }
      value += c;
      i++;
    }
  };
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === ' ') {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ t: 'punct', v: c });
      i++;
    } else if (c === "'") {
      tokens.push({ t: 'literal', v: { kind: 'string', value: readQuoted() } });
    } else if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_./]/.test(text[i] ?? '')) i++;
      const word = text.slice(start, i);
      if (text[i] === "'") tokens.push({ t: 'literal', v: prefixedLiteral(version, word, readQuoted()) });
      else tokens.push({ t: 'ident', v: word });
    } else if (/[0-9-]/.test(c)) {
      const start = i;
      i++;
      while (i < text.length && /[0-9A-Za-z:.+-]/.test(text[i] ?? '')) i++;
      const word = text.slice(start, i);
      const literal = bareLiteral(version, word);
      if (!literal) throw badRequest(`Invalid literal '${word}' in $filter`);
      tokens.push({ t: 'literal', v: literal });
    } else {
      throw badRequest(`Unexpected character '${c}' in $filter at position ${i}`);
    }
  }
  return tokens;
}

const FLIPPED: Record<CompareOp, CompareOp> = { eq: 'eq', ne: 'ne', gt: 'lt', ge: 'le', lt: 'gt', le: 'ge' };

export function parseFilter(text: string, version: ODataVersion): FilterNode {
  const tokens = tokenize(text, version);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (token: Token | undefined, word: string): boolean => token?.t === 'ident' && token.v === word;
  const expectPunct = (v: '(' | ')' | ','): void => {
    const token = tokens[pos++];
    if (token?.t !== 'punct' || token.v !== v) throw badRequest(`Expected '${v}' in $filter: ${text}`);
  };

  const operand = (): Token => {
    const token = tokens[pos++];
    if (!token || token.t === 'punct') throw badRequest(`Expected a property or literal in $filter: ${text}`);
    if (token.t === 'ident') {
      const literal = bareLiteral(version, token.v);
      if (literal) return { t: 'literal', v: literal };
    }
    return token;
  };

  const stringFunction = (name: StringFunction): FilterNode => {
    expectPunct('(');
    const first = operand();
    expectPunct(',');
    const second = operand();
    expectPunct(')');
    // substringof('text', Property) takes its arguments the other way round (OData V2).
    const [property, literal] = name === 'substringof' ? [second, first] : [first, second];
    if (property.t !== 'ident' || literal.t !== 'literal' || literal.v.kind !== 'string') {
      throw badRequest(`${name} needs a property and a string literal`);
    }
    const node: FilterNode = { type: 'function', name, property: property.v, text: literal.v.value };
    // V2 substringof returns a boolean that is usually compared with true.
    if (isWord(peek(), 'eq')) {
      pos++;
      const value = operand();
      if (value.t !== 'literal' || value.v.kind !== 'boolean') throw badRequest(`${name} compares with true/false`);
      return value.v.value ? node : { type: 'not', operand: node };
    }
    return node;
  };

  const unary = (): FilterNode => {
    const token = peek();
    if (isWord(token, 'not')) {
      pos++;
      return { type: 'not', operand: unary() };
    }
    if (token?.t === 'punct' && token.v === '(') {
      pos++;
      const inner = orExpr();
      expectPunct(')');
      return inner;
    }
    if (token?.t === 'ident' && (FUNCTIONS[version] as readonly string[]).includes(token.v)) {
      const next = tokens[pos + 1];
      if (next?.t === 'punct' && next.v === '(') {
        pos++;
        return stringFunction(token.v as StringFunction);
      }
    }
    const left = operand();
    const opToken = tokens[pos++];
    if (opToken?.t !== 'ident' || !COMPARE_OPS.includes(opToken.v)) {
      throw badRequest(`Expected a comparison operator in $filter: ${text}`);
    }
    const op = opToken.v as CompareOp;
    const right = operand();
    if (left.t === 'ident' && right.t === 'literal') return { type: 'compare', op, property: left.v, literal: right.v };
    if (left.t === 'literal' && right.t === 'ident') {
      return { type: 'compare', op: FLIPPED[op], property: right.v, literal: left.v };
    }
    throw badRequest(`A comparison needs one property and one literal: ${text}`);
  };

  const andExpr = (): FilterNode => {
    let node = unary();
    while (isWord(peek(), 'and')) {
      pos++;
      node = { type: 'and', left: node, right: unary() };
    }
    return node;
  };

  function orExpr(): FilterNode {
    let node = andExpr();
    while (isWord(peek(), 'or')) {
      pos++;
      node = { type: 'or', left: node, right: andExpr() };
    }
    return node;
  }

  const result = orExpr();
  if (pos < tokens.length) throw badRequest(`Unexpected input after position ${pos} in $filter: ${text}`);
  return result;
}
