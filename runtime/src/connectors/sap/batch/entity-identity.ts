import type { BatchOperation } from './batch-plan';
import type { OperationResponse } from './http-message';

/**
 * The target id and the new ETag of a written entity, from whatever the answer offers (reference
 * erp-protocols.md A.5, A.8). A target id is the key as SAP prints it: `1000005` for a single string key,
 * `Equipment='10000000',ValidityEndDate=datetime'9999-12-31T00:00:00'` for a composite one.
 */

/** The entity in a V2 (`{"d": {...}}`) or V4 (the object itself) single-entity body. */
export function entityOf(json: unknown): Readonly<Record<string, unknown>> | undefined {
  if (!isRecord(json)) return undefined;
  const d = json.d;
  if (isRecord(d)) return Array.isArray(d.results) ? undefined : d;
  return json;
}

/**
 * In order of trust: the key fields in the returned entity (when the caller named them), the Location header
 * of a create, the entity's own URI in the body, the request URL of an update or delete.
 */
export function targetIdOf(operation: BatchOperation, response: OperationResponse): string | undefined {
  const entity = entityOf(response.json);
  const fromFields = entity && operation.keyFields ? keyFromFields(entity, operation.keyFields) : undefined;
  const metadata = entity && isRecord(entity.__metadata) ? entity.__metadata : undefined;
  const uri = [response.headers.location, str(metadata?.uri), str(entity?.['@odata.id'])].find(
    (candidate) => candidate !== undefined,
  );
  return (
    fromFields ??
    (uri === undefined ? undefined : keyPredicateOf(uri)) ??
    (operation.method === 'POST' ? undefined : keyPredicateOf(operation.url))
  );
}

/** ETag header first (A.8), then `__metadata.etag` (V2) or `@odata.etag` (V4) in the body. */
export function etagOf(response: OperationResponse): string | undefined {
  const entity = entityOf(response.json);
  const metadata = entity && isRecord(entity.__metadata) ? entity.__metadata : undefined;
  return str(response.headers.etag) ?? str(metadata?.etag) ?? str(entity?.['@odata.etag']);
}

/**
 * The key predicate of the last path segment: `A_ProductionOrder_2('1000005')` → `1000005`. Undefined for a
 * collection URL (a POST target) or a `$n` Content-ID reference.
 */
export function keyPredicateOf(url: string): string | undefined {
  const path = url.split(/[?#]/)[0] ?? '';
  const segment = path.slice(path.lastIndexOf('/') + 1);
  const match = /\((.*)\)$/.exec(safeDecode(segment));
  const inner = match?.[1];
  if (inner === undefined || inner === '') return undefined;
  const single = /^'((?:[^']|'')*)'$/.exec(inner);
  return single?.[1] === undefined ? inner : single[1].replace(/''/g, "'");
}

function keyFromFields(entity: Readonly<Record<string, unknown>>, keyFields: readonly string[]): string | undefined {
  const values = keyFields.map((field) => entity[field]);
  if (values.some((value) => value === undefined || value === null || typeof value === 'object')) return undefined;
  if (values.length === 1) return String(values[0]);
  return keyFields.map((field, i) => `${field}=${literal(values[i])}`).join(',');
}

/** Strings quoted with '' escaping as in a key predicate (A.7); typed literals cannot be known here. */
function literal(value: unknown): string {
  return typeof value === 'string' ? `'${value.replace(/'/g, "''")}'` : String(value);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
