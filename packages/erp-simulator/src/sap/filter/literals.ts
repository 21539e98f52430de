import { badRequest } from '../odata/odata-error';
import type { Literal, ODataVersion } from './filter-ast';

/**
 * Literal forms per protocol version (reference A.7). V2 prefixes typed literals (datetime'…',
 * datetimeoffset'…', time'PT…', guid'…', 12.5M); V4 writes them bare (2024-05-01T00:00:00Z, 2024-05-01,
 * 08:00:00). Each version rejects the other's form, as a real server does ("Parsing URL failed").
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_OF_DAY = /^(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,7})?)?$/;
const DURATION = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const V2_NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?([mMlLdDfF])?$/;
const V4_NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

export function parseDateTime(text: string, requireZone: boolean): number | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const zone = m[8];
  if (requireZone && !zone) return undefined;
  const suffix = zone ?? 'Z';
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}${m[7] ? m[7].slice(0, 4) : ''}${suffix}`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

function parseTimeOfDay(text: string): number | undefined {
  const m = TIME_OF_DAY.exec(text);
  if (!m) return undefined;
  return (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0)) * 1000 + Math.round(Number(m[4] ?? 0) * 1000);
}

export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m || text === 'PT') return undefined;
  return (Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 1000;
}

/** A quoted literal with a type prefix, such as datetime'2024-05-01T00:00:00' (V2 only). */
export function prefixedLiteral(version: ODataVersion, prefix: string, body: string): Literal {
  if (version === 'v4') throw badRequest(`Invalid literal ${prefix}'${body}': OData V4 writes typed literals bare`);
  const fail = (): never => {
    throw badRequest(`Invalid ${prefix} literal '${body}'`);
  };
  switch (prefix.toLowerCase()) {
    case 'datetime':
      return { kind: 'datetime', ms: parseDateTime(body, false) ?? fail() };
    case 'datetimeoffset':
      return { kind: 'datetime', ms: parseDateTime(body, true) ?? fail() };
    case 'time':
      return { kind: 'time', ms: parseDuration(body) ?? fail() };
    case 'guid':
      return GUID.test(body) ? { kind: 'guid', value: body.toLowerCase() } : fail();
    default:
      throw badRequest(`Unsupported literal type ${prefix}`);
  }
}

/** An unquoted token: number, boolean, null, and in V4 the bare date, time and guid forms. */
export function bareLiteral(version: ODataVersion, token: string): Literal | undefined {
  if (token === 'true' || token === 'false') return { kind: 'boolean', value: token === 'true' };
  if (token === 'null') return { kind: 'null' };
  if (version === 'v2') {
    return V2_NUMBER.test(token) ? { kind: 'number', value: Number(token.replace(/[mMlLdDfF]$/, '')) } : undefined;
  }
  if (V4_NUMBER.test(token)) return { kind: 'number', value: Number(token) };
  if (DATE.test(token)) {
    const ms = Date.parse(`${token}T00:00:00Z`);
    return Number.isNaN(ms) ? undefined : { kind: 'date', ms };
  }
  const dateTime = parseDateTime(token, true);
  if (dateTime !== undefined) return { kind: 'datetime', ms: dateTime };
  const time = parseTimeOfDay(token);
  if (time !== undefined) return { kind: 'time', ms: time };
  if (GUID.test(token)) return { kind: 'guid', value: token.toLowerCase() };
  return undefined;
}
