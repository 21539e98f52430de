import { TaktError } from '../../errors';
import { isObject, type ODataCollection, type ODataRecord } from './odata-page';

/**
 * OData V4 JSON (reference A.5): a collection is `{"value": [...], "@odata.count": 8, "@odata.nextLink": "…"}`,
 * one entity is the object itself beside its `@odata.context`. OData 4.01 may drop the `odata.` prefix
 * (`@count`, `@nextLink`); both are read.
 * https://docs.oasis-open.org/odata/odata-json-format/v4.01/odata-json-format-v4.01.html#sec_CollectionofEntities
 *
 * Dates already are ISO 8601; decimals are strings because every request asks for IEEE754Compatible=true
 * (odata-version.ts). Control information about the response (`@odata.context`) is dropped from records;
 * per-record annotations such as `@odata.etag` stay.
 */
export function readV4Collection(body: unknown): ODataCollection {
  const value = isObject(body) ? body.value : undefined;
  if (!isObject(body) || !Array.isArray(value)) throw shapeError('a collection ({"value": [...]})', body);
  const records = value.map((item, i) => {
    if (!isObject(item)) throw shapeError(`an object at value[${i}]`, body);
    return { ...item };
  });
  const next = stringOf(body['@odata.nextLink'] ?? body['@nextLink']);
  const count = countOf(body['@odata.count'] ?? body['@count']);
  return { records, ...(next ? { nextLink: next } : {}), ...(count === undefined ? {} : { count }) };
}

export function readV4Entity(body: unknown): ODataRecord {
  if (!isObject(body) || Array.isArray(body.value)) throw shapeError('an entity ({...})', body);
  const { '@odata.context': _context, '@context': _context401, ...record } = body;
  return record;
}

/** The ETag of a V4 record (`@odata.etag`, reference A.8). */
export function v4Etag(record: Readonly<ODataRecord>): string | undefined {
  const etag = record['@odata.etag'] ?? record['@etag'];
  return typeof etag === 'string' ? etag : undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A number in V4; a string when the server honours IEEE754Compatible for Int64 counts as well. */
function countOf(value: unknown): number | undefined {
  const count = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isSafeInteger(count) && count >= 0 ? count : undefined;
}

function shapeError(expected: string, body: unknown): TaktError {
  const start = JSON.stringify(body)?.slice(0, 200) ?? String(body);
  return new TaktError(
    'RESPONSE_INVALID',
    `The OData V4 response is not ${expected}; it starts with: ${start}. Check that the service is an OData V4 ` +
      'service (odataVersion) and that the path names an entity set.',
    { details: { odataVersion: 'v4' } },
  );
}
