import type { Connector, DeltaFieldType, RecordAction, WriteItem, WriteMode } from '../connectors';
import { recordEtag, type SapEntityConfig } from '../connectors/sap';
import { TaktError, toTaktError } from '../errors';
import type { ErrorRecord } from '../state/types';
import { commaList } from './field-values';

/**
 * What the SAP node does to one entity, without a host: read one record by key, read many (equality filters,
 * changed since, a limit), and write records (create, update, create-or-update, delete) with one result per
 * record. Everything goes through `Connector.read/write`, so the wire (OData version, CSRF, `$batch`, 428) stays
 * the connector's business.
 */

export type SapOperation = 'get' | 'getMany' | 'create' | 'update' | 'createOrUpdate' | 'delete';
export type SapWriteOperation = Exclude<SapOperation, 'get' | 'getMany'>;

/** One record's outcome, in input order. */
export interface SapRecordResult {
  readonly index: number;
  readonly action: RecordAction;
  readonly targetId?: string;
  readonly etag?: string;
  readonly error?: ErrorRecord;
}

/** A record read, with the concurrency token SAP sent for it (send it back to update only an unchanged record). */
export interface SapReadRecord {
  readonly record: Readonly<Record<string, unknown>>;
  readonly etag?: string;
}

export interface GetManyOptions {
  /** Equality filters on entity properties, combined with AND. */
  readonly filter?: Readonly<Record<string, string | number | boolean>>;
  /** Records changed at or after this instant (ISO 8601); needs an entity with a delta field. */
  readonly since?: string;
  /** At most this many records; ignored when `returnAll`. Default 50. */
  readonly limit?: number;
  readonly returnAll?: boolean;
  readonly signal?: AbortSignal;
}

export const DEFAULT_GET_MANY_LIMIT = 50;

/** "Any Entity Set": what the user typed, as an entity the connector can read and write. */
export interface CustomEntityInput {
  readonly service: string;
  readonly entitySet: string;
  /** Key properties in key order; a comma-separated string is accepted. */
  readonly keyFields: readonly string[] | string;
  /** Optional delta property for Changed Since. */
  readonly deltaField?: string;
  /** How the delta property compares on the wire; default Edm.DateTimeOffset. */
  readonly deltaFieldType?: DeltaFieldType;
}

export function customEntity(input: CustomEntityInput): SapEntityConfig {
  const service = input.service.trim();
  const entitySet = input.entitySet.trim();
  const keyFields = commaList(input.keyFields);
  if (service === '') throw configInvalid('Service is required (for example API_PRODUCTION_ORDER_2_SRV)');
  if (entitySet === '') throw configInvalid('Entity Set is required (for example A_ProductionOrder_2)');
  if (keyFields.length === 0) throw configInvalid('Key Fields needs at least one key property of the entity set');
  const deltaField = input.deltaField?.trim();
  return {
    name: `${service}/${entitySet}`,
    title: `${entitySet} (${service})`,
    service,
    entitySet,
    keyFields,
    ...(deltaField ? { deltaField, deltaFieldType: input.deltaFieldType ?? 'datetimeoffset' } : {}),
    capabilities: { read: true, create: true, update: true, delete: true, upsert: false, batch: true },
  };
}

/** The key fields of `entity` as the connector knows them. */
export function keyFieldsOf(connector: Connector, entity: string): readonly string[] {
  const descriptor = connector.entities().find((candidate) => candidate.name === entity);
  if (descriptor === undefined) {
    throw new TaktError('ENTITY_UNKNOWN', `The SAP connection does not know the entity "${entity}".`);
  }
  return descriptor.keyFields;
}

/**
 * The key of a record for `keyFields`, as text. Fails with KEY_MISSING naming the first absent field, so a user
 * sees which property their item lacks.
 */
export function keyOf(record: Readonly<Record<string, unknown>>, keyFields: readonly string[]): Record<string, string> {
  const key: Record<string, string> = {};
  for (const field of keyFields) {
    const value = record[field];
    if (value === undefined || value === null || value === '') {
      throw new TaktError('KEY_MISSING', `The record has no value for the key field "${field}".`, {
        details: { field },
      });
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new TaktError('KEY_MISSING', `The key field "${field}" must be text or a number.`, { details: { field } });
    }
    key[field] = String(value);
  }
  return key;
}

/** One record by key; HTTP_NOT_FOUND (404) when SAP has none. */
export async function sapGet(
  connector: Connector,
  entity: string,
  key: Readonly<Record<string, string>>,
  options: { readonly signal?: AbortSignal } = {},
): Promise<SapReadRecord> {
  for await (const page of connector.read(entity, { key, ...(options.signal ? { signal: options.signal } : {}) })) {
    const record = page.records[0];
    if (record === undefined) continue;
    const pageEtag = (page as { readonly etag?: unknown }).etag;
    const etag = typeof pageEtag === 'string' ? pageEtag : recordEtag(record);
    return { record, ...(etag ? { etag } : {}) };
  }
  const label = Object.entries(key)
    .map(([field, value]) => `${field}=${value}`)
    .join(', ');
  throw new TaktError('HTTP_NOT_FOUND', `No ${entity} record with ${label}.`, { details: { status: 404 } });
}

/** Records of an entity, filtered, in the connector's order (delta field, then key), up to the limit. */
export async function sapGetMany(
  connector: Connector,
  entity: string,
  options: GetManyOptions = {},
): Promise<Readonly<Record<string, unknown>>[]> {
  const limit = options.returnAll ? Number.POSITIVE_INFINITY : (options.limit ?? DEFAULT_GET_MANY_LIMIT);
  if (!options.returnAll && (!Number.isInteger(limit) || limit < 1)) {
    throw configInvalid(`Limit must be a whole number of at least 1 (got ${String(options.limit)})`);
  }
  if (options.since !== undefined && Number.isNaN(Date.parse(options.since))) {
    throw configInvalid(`Changed Since must be a date and time (ISO 8601), got "${options.since}"`);
  }
  const records: Readonly<Record<string, unknown>>[] = [];
  const pages = connector.read(entity, {
    ...(options.filter && Object.keys(options.filter).length > 0 ? { filter: options.filter } : {}),
    ...(options.since ? { since: options.since } : {}),
    ...(Number.isFinite(limit) ? { pageSize: Math.min(limit, 1000) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  for await (const page of pages) {
    for (const record of page.records) {
      records.push(record);
      // Leaving the loop ends the read: the generator's return stops paging.
      if (records.length >= limit) return records;
    }
  }
  return records;
}

const WRITE_MODES: Record<SapWriteOperation, WriteMode> = {
  create: 'create',
  update: 'update',
  createOrUpdate: 'upsert',
  delete: 'delete',
};

export interface SapWriteOptions {
  /** Records per `$batch` request; 1 sends each record on its own. Default 100. */
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
}

export const DEFAULT_SAP_BATCH_SIZE = 100;

/**
 * Writes records and answers one result per record, in input order. A record SAP rejects fails alone; the call
 * throws only when nothing could be attempted (configuration, credentials, SAP unreachable after retries).
 * Update and delete need each record's key fields; a record without them fails alone with KEY_MISSING.
 */
export async function sapWrite(
  connector: Connector,
  entity: string,
  operation: SapWriteOperation,
  items: readonly WriteItem[],
  options: SapWriteOptions = {},
): Promise<SapRecordResult[]> {
  const batchSize = options.batchSize ?? DEFAULT_SAP_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000) {
    throw configInvalid(`Batch Size must be a whole number from 1 to 1000 (got ${String(options.batchSize)})`);
  }
  const results: (SapRecordResult | undefined)[] = Array.from({ length: items.length }, () => undefined);
  const keyFields = operation === 'create' ? [] : keyFieldsOf(connector, entity);
  const sendable: { readonly index: number; readonly item: WriteItem }[] = [];
  items.forEach((item, index) => {
    try {
      if (item.key === undefined && operation !== 'create') keyOf(item.data, keyFields);
      sendable.push({ index, item });
    } catch (error) {
      const takt = toTaktError(error);
      results[index] = { index, action: 'error', error: { code: takt.code, message: takt.message, retryable: false } };
    }
  });
  if (sendable.length > 0) {
    const written = await connector.write(
      entity,
      sendable.map(({ item }) => item),
      {
        mode: WRITE_MODES[operation],
        batchSize,
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
    written.forEach((result, position) => {
      const index = sendable[position]?.index;
      if (index === undefined) return;
      results[index] = {
        index,
        action: result.action,
        ...(result.targetId === undefined ? {} : { targetId: result.targetId }),
        ...(result.etag === undefined ? {} : { etag: result.etag }),
        ...(result.error === undefined ? {} : { error: result.error }),
      };
    });
  }
  return results.map(
    (result, index) =>
      result ?? {
        index,
        action: 'error',
        error: { code: 'INTERNAL', message: 'The connector returned no result for this record.', retryable: false },
      },
  );
}

function configInvalid(message: string): TaktError {
  return new TaktError('CONFIG_INVALID', message);
}
