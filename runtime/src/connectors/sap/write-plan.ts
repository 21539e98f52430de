import { TaktError } from '../../errors';
import type { WriteItem, WriteMode, WriteResult } from '../types';
import type { BatchOperation } from './batch';
import type { SapEntity } from './entities';
import { keyLabel, keyOf, keyPredicate } from './key-predicate';
import { parseInstant } from './odata-date';
import { encodeV2Values, type WireDateType } from './v2-wire-values';

/** What one record turns into: an operation to send, or a result known without sending anything. */
export type PlannedWrite =
  | { readonly index: number; readonly operation: BatchOperation }
  | { readonly index: number; readonly result: WriteResult };

/** The current state of a record, for upsert: absent, or present with the ETag it was read with. */
export type Existing =
  | { readonly found: false }
  | { readonly found: true; readonly record: Readonly<Record<string, unknown>>; readonly etag?: string };

/**
 * One record as an OData operation (reference A.8): create = POST to the entity set, update = PATCH to the
 * entity (Gateway accepts PATCH as MERGE's synonym in V2; V4 has only PATCH), delete = DELETE, each with the
 * ETag as If-Match when the caller has one. Key fields go into the URL and are left out of a PATCH body:
 * Gateway rejects a change of key, and an unchanged key value there is noise.
 *
 * Upsert needs `existing` (the record read by key, see sap-write.ts): absent → create, present → update with
 * the caller's ETag or the one just read, or `unchanged` without a request when every field already holds the
 * value sent.
 *
 * V2 bodies are put into the V2 wire form first (v2-wire-values.ts): ISO values of `dates`, the entity's date and
 * time properties when known, become `/Date(…)/` or `PT…`, and a value there that is no date makes this record's
 * result RECORD_INVALID; navigation links read as `__deferred` are left out.
 */
export function planWrite(
  entity: SapEntity,
  mode: WriteMode,
  index: number,
  given: WriteItem,
  existing?: Existing,
  dates?: ReadonlyMap<string, WireDateType>,
): PlannedWrite {
  try {
    const v2Body = entity.odataVersion === 'v2' && mode !== 'delete';
    const item = v2Body ? { ...given, data: encodeV2Values(given.data, dates) } : given;
    switch (mode) {
      case 'create':
        return { index, operation: create(entity, item) };
      case 'update':
        return { index, operation: update(entity, item, item.etag) };
      case 'delete':
        return { index, operation: remove(entity, item) };
      case 'upsert': {
        if (!existing?.found) return { index, operation: create(entity, item) };
        if (unchanged(entity, item.data, existing.record)) {
          return {
            index,
            result: { index, action: 'unchanged', targetId: label(entity, item), ...etagOf(existing.etag) },
          };
        }
        return { index, operation: update(entity, item, item.etag ?? existing.etag) };
      }
    }
  } catch (error) {
    if (!TaktError.is(error) || error.kind !== 'data') throw error;
    return {
      index,
      result: { index, action: 'error', error: { code: error.code, message: error.message, retryable: false } },
    };
  }
}

/** The key of a record: the caller's `key`, else the key fields in its data; undefined when incomplete. */
export function keyFor(entity: SapEntity, item: WriteItem): Record<string, unknown> | undefined {
  return keyOf(entity.keyFields, item.key ?? item.data);
}

export function entityUrl(entity: SapEntity, key: Readonly<Record<string, unknown>>): string {
  return `${entity.entitySet}${keyPredicate(entity.keyFields, key, entity.keyTypes, entity.odataVersion)}`;
}

function create(entity: SapEntity, item: WriteItem): BatchOperation {
  return { method: 'POST', url: entity.entitySet, body: item.data, keyFields: entity.keyFields };
}

function update(entity: SapEntity, item: WriteItem, etag: string | undefined): BatchOperation {
  const body = Object.fromEntries(Object.entries(item.data).filter(([name]) => !entity.keyFields.includes(name)));
  return {
    method: 'PATCH',
    url: entityUrl(entity, requiredKey(entity, item)),
    body,
    keyFields: entity.keyFields,
    ...(etag === undefined ? {} : { ifMatch: etag }),
  };
}

function remove(entity: SapEntity, item: WriteItem): BatchOperation {
  return {
    method: 'DELETE',
    url: entityUrl(entity, requiredKey(entity, item)),
    ...(item.etag === undefined ? {} : { ifMatch: item.etag }),
  };
}

function requiredKey(entity: SapEntity, item: WriteItem): Record<string, unknown> {
  const key = keyFor(entity, item);
  if (key === undefined) {
    throw new TaktError(
      'RECORD_INVALID',
      `The record has no complete key (${entity.keyFields.join(', ')}) to address it in ${entity.entitySet}.`,
      { details: { keyFields: entity.keyFields } },
    );
  }
  return key;
}

function label(entity: SapEntity, item: WriteItem): string {
  return keyLabel(entity.keyFields, requiredKey(entity, item), entity.keyTypes, entity.odataVersion);
}

function etagOf(etag: string | undefined): { etag?: string } {
  return etag === undefined ? {} : { etag };
}

/**
 * Every non-key field sent already holds that value. Conservative: a nested value, or a value whose spelling
 * differs in a way not recognised here, counts as a change, so at worst an identical record is written again.
 * V2's `__metadata` (URI, type, ETag of the record as read) is no field: a record written back as read compares
 * by its values.
 */
function unchanged(
  entity: SapEntity,
  data: Readonly<Record<string, unknown>>,
  current: Readonly<Record<string, unknown>>,
): boolean {
  return Object.entries(data).every(
    ([name, value]) => name === '__metadata' || entity.keyFields.includes(name) || same(value, current[name]),
  );
}

function same(sent: unknown, stored: unknown): boolean {
  if (sent === stored) return true;
  const primitive = (v: unknown): v is string | number | boolean =>
    typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  if (!primitive(sent) || !primitive(stored)) return false;
  if (String(sent) === String(stored)) return true;
  // Decimals: "12.50" and "12.5" are the same quantity. Compared as text, never through a float.
  const a = decimal(String(sent));
  if (a !== undefined && a === decimal(String(stored))) return true;
  // Dates: a V2 /Date(ms)/ sent, read back as ISO (odata-v2-envelope.ts).
  if (typeof sent === 'string' && typeof stored === 'string' && /^\/Date\(|^\d{4}-\d{2}-\d{2}/.test(sent)) {
    const at = parseInstant(sent)?.getTime();
    return at !== undefined && at === parseInstant(stored)?.getTime();
  }
  return false;
}

/** A decimal in one spelling: no leading zeros, no trailing fraction zeros; undefined when not a decimal. */
function decimal(text: string): string | undefined {
  const match = /^([+-]?)0*(\d*?)(?:\.(\d*?)0*)?$/.exec(text.trim());
  if (!match || !/\d/.test(text)) return undefined;
  const [, sign = '', whole = '', fraction = ''] = match;
  const digits = `${whole || '0'}${fraction ? `.${fraction}` : ''}`;
  return digits === '0' ? '0' : `${sign === '-' ? '-' : ''}${digits}`;
}
