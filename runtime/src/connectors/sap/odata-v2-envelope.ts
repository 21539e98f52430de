import { TaktError } from '../../errors';
import { v2DateToIso } from './odata-date';
import { isObject, type ODataCollection, type ODataRecord } from './odata-page';

/**
 * OData V2 "verbose JSON" (reference A.5): a collection is `{"d": {"results": [...], "__count": "42",
 * "__next": "…"}}` (or `{"d": [...]}` from V1-style servers), one entity is `{"d": {...}}`.
 * https://www.odata.org/documentation/odata-version-2-0/json-format/
 *
 * Records keep their shape with two normalisations, so that V2 and V4 records read alike downstream:
 * - `/Date(<ms>±hhmm)/` (Edm.DateTime and Edm.DateTimeOffset) becomes ISO 8601 UTC;
 * - an expanded to-many navigation `{"results": [...]}` becomes the array itself.
 * Edm.Decimal and Edm.Int64 arrive as JSON strings and stay strings; `__metadata` (with the ETag) stays.
 */
export function readV2Collection(body: unknown): ODataCollection {
  const d = isObject(body) ? body.d : undefined;
  const results = Array.isArray(d) ? d : isObject(d) ? d.results : undefined;
  if (!Array.isArray(results)) {
    throw shapeError('a collection ({"d": {"results": [...]}})', body);
  }
  const records = results.map((item, i) => {
    if (!isObject(item)) throw shapeError(`an object at d.results[${i}]`, body);
    return decodeV2Record(item);
  });
  const next = isObject(d) && typeof d.__next === 'string' && d.__next !== '' ? d.__next : undefined;
  const count = isObject(d) ? countOf(d.__count) : undefined;
  return { records, ...(next ? { nextLink: next } : {}), ...(count === undefined ? {} : { count }) };
}

export function readV2Entity(body: unknown): ODataRecord {
  const d = isObject(body) ? body.d : undefined;
  // Some servers wrap a single entity in `results` as well.
  const entity = isObject(d) && isObject(d.results) ? d.results : d;
  if (!isObject(entity)) throw shapeError('an entity ({"d": {...}})', body);
  return decodeV2Record(entity);
}

/** The ETag of a V2 record (`__metadata.etag`, reference A.8). */
export function v2Etag(record: Readonly<ODataRecord>): string | undefined {
  const metadata = record.__metadata;
  return isObject(metadata) && typeof metadata.etag === 'string' ? metadata.etag : undefined;
}

export function decodeV2Record(record: Readonly<ODataRecord>): ODataRecord {
  const out: ODataRecord = {};
  for (const [name, value] of Object.entries(record)) out[name] = name === '__metadata' ? value : decodeV2Value(value);
  return out;
}

function decodeV2Value(value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith('/Date(') ? v2DateToIso(value) : value;
  if (Array.isArray(value)) return value.map(decodeV2Value);
  if (!isObject(value)) return value;
  if (Array.isArray(value.results)) return value.results.map(decodeV2Value);
  if ('__deferred' in value) return value;
  return decodeV2Record(value);
}

/** `__count` is a string in V2 ("42"). */
function countOf(value: unknown): number | undefined {
  const count = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
  return Number.isSafeInteger(count) && count >= 0 ? count : undefined;
}

function shapeError(expected: string, body: unknown): TaktError {
  const start = JSON.stringify(body)?.slice(0, 200) ?? String(body);
  return new TaktError(
    'RESPONSE_INVALID',
    `The OData V2 response is not ${expected}; it starts with: ${start}. Check that the service is an OData V2 ` +
      'service (odataVersion) and that the path names an entity set.',
    { details: { odataVersion: 'v2' } },
  );
}
