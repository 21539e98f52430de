import type { PropertyDef, SimRecord } from '../model/edm';
import type { DataSetDef } from '../model/entity-set';
import { comparableLiteral } from '../filter/comparable';
import { bareLiteral, prefixedLiteral } from '../filter/literals';
import type { Literal, ODataVersion } from '../filter/filter-ast';
import { badRequest } from './odata-error';
import { isoDateTime } from './wire-values';

/**
 * Resource paths below a service root: `Set`, `Set/$count`, `Set(key)`, `Set(key)/nav`, `Set(key)/nav/$count`.
 * Keys are `('1000000')` for a single key or `(Equipment='10000000',ValidityEndDate=datetime'9999-12-31T00:00:00')`
 * (reference A.7, A.11); V4 writes typed key values bare.
 */
export interface ResourcePath {
  readonly set: string;
  readonly keyText?: string;
  readonly navigation?: string;
  readonly count: boolean;
}

export function parseResourcePath(path: string): ResourcePath {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.replace(/^\//, ''));
  } catch {
    throw badRequest(`Malformed resource path ${path}`);
  }
  const open = decoded.indexOf('(');
  const slash = decoded.indexOf('/');
  const nameEnd = open >= 0 && (slash < 0 || open < slash) ? open : slash >= 0 ? slash : decoded.length;
  const set = decoded.slice(0, nameEnd);
  let rest = decoded.slice(nameEnd);
  let keyText: string | undefined;
  if (rest.startsWith('(')) {
    const close = closingParen(rest);
    keyText = rest.slice(1, close);
    rest = rest.slice(close + 1);
  }
  const segments = rest.split('/').filter((s) => s !== '');
  let count = false;
  if (segments[segments.length - 1] === '$count') {
    count = true;
    segments.pop();
  }
  if (segments.length > 1) throw badRequest(`Resource path ${path} is not supported`);
  const navigation = segments[0];
  return { set, ...(keyText === undefined ? {} : { keyText }), ...(navigation ? { navigation } : {}), count };
}

function closingParen(text: string): number {
  let quoted = false;
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    else if (c === ')' && !quoted) return i;
  }
  throw badRequest(`Unbalanced parentheses in ${text}`);
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    else if (c === ',' && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function parseKeyLiteral(text: string, version: ODataVersion): Literal {
  const quoted = /^([A-Za-z]*)'(.*)'$/s.exec(text);
  if (quoted) {
    const [, prefix = '', body = ''] = quoted;
    return prefix ? prefixedLiteral(version, prefix, body) : { kind: 'string', value: body.replace(/''/g, "'") };
  }
  const literal = bareLiteral(version, text);
  if (!literal) throw badRequest(`Invalid key value ${text}`);
  return literal;
}

/** The key of `Set(…)` as internal values, checked against the entity type's key properties. */
export function parseKey(keyText: string, def: DataSetDef, version: ODataVersion): SimRecord {
  const keyProps = def.keys.map((k) => def.properties.find((p) => p.name === k));
  const parts = splitTopLevel(keyText);
  const key: SimRecord = {};
  const assign = (property: PropertyDef | undefined, valueText: string): void => {
    if (!property) throw badRequest(`Invalid key predicate (${keyText})`);
    const value = comparableLiteral(property, parseKeyLiteral(valueText.trim(), version), version);
    key[property.name] = property.kind === 'decimal' && typeof value === 'number' ? String(value) : value;
  };
  if (parts.length === 1 && keyProps.length === 1 && !/^\s*\w+\s*=/.test(parts[0] ?? '')) {
    assign(keyProps[0], parts[0] ?? '');
  } else {
    for (const part of parts) {
      const eq = part.indexOf('=');
      const name = part.slice(0, eq).trim();
      assign(
        keyProps.find((p) => p?.name === name),
        part.slice(eq + 1),
      );
    }
  }
  if (def.keys.some((k) => key[k] === undefined)) {
    throw badRequest(`The key predicate (${keyText}) must name ${def.keys.join(', ')}`);
  }
  return key;
}

function keyValueText(property: PropertyDef | undefined, value: unknown, version: ODataVersion): string {
  if (typeof value === 'number' && property && ['date', 'datetime', 'datetimeoffset'].includes(property.kind)) {
    if (version === 'v4') return property.kind === 'date' ? isoDateTime(value).slice(0, 10) : isoDateTime(value);
    const iso = new Date(value).toISOString().slice(0, 19);
    return property.kind === 'datetimeoffset' ? `datetimeoffset'${iso}Z'` : `datetime'${iso}'`;
  }
  if (property?.kind === 'guid') return version === 'v2' ? `guid'${String(value)}'` : String(value);
  if (typeof value === 'number') return String(value);
  return `'${String(value).replace(/'/g, "''")}'`;
}

/** `('1000000')` or `(Equipment='10000000',ValidityEndDate=datetime'9999-12-31T00:00:00')`. */
export function formatKey(def: DataSetDef, record: SimRecord, version: ODataVersion): string {
  const property = (name: string): PropertyDef | undefined => def.properties.find((p) => p.name === name);
  if (def.keys.length === 1) {
    const name = def.keys[0] ?? '';
    return `(${keyValueText(property(name), record[name], version)})`;
  }
  return `(${def.keys.map((k) => `${k}=${keyValueText(property(k), record[k], version)}`).join(',')})`;
}
