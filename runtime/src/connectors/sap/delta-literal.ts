import { TaktError } from '../../errors';
import type { DeltaFieldType } from '../types';
import { isoDate, isoLocal, parseInstant, timestamp14 } from './odata-date';
import { assertPropertyName, stringLiteral } from './odata-literal';
import type { ODataVersion } from './odata-version';

/**
 * The `$filter` of an incremental read: `<deltaField> ge <literal>`, written the way each OData version and
 * field type expects (reference A.7). `ge`, not `gt`: a record that shares the stored watermark must not be
 * missed; callers dedup by key and content hash (reference A.12, step 2).
 */
export function deltaFilter(field: string, since: string, type: DeltaFieldType, version: ODataVersion): string {
  return `${assertPropertyName(field, 'deltaField')} ge ${deltaLiteral(since, type, version)}`;
}

/**
 * One watermark as a literal.
 *
 * | type           | V2                                   | V4                        |
 * |----------------|--------------------------------------|---------------------------|
 * | datetime       | `datetime'2024-05-01T08:00:00'`      | `2024-05-01` (Edm.Date)   |
 * | datetimeoffset | `datetimeoffset'2024-05-01T08:00:00Z'` | `2024-05-01T08:00:00Z`  |
 * | timestamp14    | `'20240501080000'`                   | `'20240501080000'`        |
 * | string         | `'…'`                                | `'…'`                     |
 * | number         | `42`                                 | `42`                      |
 *
 * V4 has no Edm.DateTime; the V2 DateTime fields that carry a delta are date-only (`LastChangeDate`), which V4
 * types Edm.Date, so a `datetime` watermark is cut to its day there: still inclusive, it re-reads that day, the
 * overlap reference A.12 asks for with date-only fields. V4 rejects the quoted V2 forms with 400 (reference A.7,
 * observed), and V2 reads a bare date-time as a syntax error, hence one function per version.
 *
 * `timestamp14` is SAP's Edm.String(14) `YYYYMMDDhhmmss` UTC (API_PRODUCTION_ORDER_2_SRV `LastChangeDateTime`):
 * lexical order is chronological order, so a string comparison is correct (reference A.11).
 */
export function deltaLiteral(since: string, type: DeltaFieldType, version: ODataVersion): string {
  switch (type) {
    case 'string':
      return stringLiteral(since);
    case 'number':
      if (!/^-?\d+(\.\d+)?$/.test(since.trim())) throw invalidSince(since, type);
      return since.trim();
    case 'timestamp14':
      return stringLiteral(timestamp14(instant(since, type)));
    case 'datetime': {
      const at = instant(since, type);
      return version === 'v2' ? `datetime'${isoLocal(at)}'` : isoDate(at);
    }
    case 'datetimeoffset': {
      const at = `${isoLocal(instant(since, type))}Z`;
      return version === 'v2' ? `datetimeoffset'${at}'` : at;
    }
  }
}

function instant(since: string, type: DeltaFieldType): Date {
  const at = parseInstant(since);
  if (!at) throw invalidSince(since, type);
  return at;
}

function invalidSince(since: string, type: DeltaFieldType): TaktError {
  return new TaktError(
    'CONFIG_INVALID',
    `The watermark "${since.slice(0, 40)}" does not fit a ${type} delta field: ` +
      (type === 'number'
        ? 'give a number.'
        : 'give an ISO 8601 date-time (2024-05-01T08:00:00Z) or a 14-digit SAP timestamp (20240501080000).'),
    { details: { field: 'since', deltaFieldType: type } },
  );
}
