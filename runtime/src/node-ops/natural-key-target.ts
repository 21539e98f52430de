import type { Connector, WriteItem, WriteOptions, WriteResult } from '../connectors';
import { TaktError, toTaktError } from '../errors';
import { DelegatingConnector } from './delegating-connector';

/**
 * Idempotent creates for a target that numbers its records itself, by looking the record up by its natural
 * key before creating it.
 *
 * Why SAP maintenance notifications need this: API_MAINTNOTIFICATION takes the number
 * (`MaintenanceNotification`) from the notification type's internal number range on POST; a number in the
 * body is replaced (the simulator's create does exactly that), OData V2 has no idempotency-key header, and the
 * entity has no external-reference field a create could carry and a read could filter on. So a create cannot
 * carry a caller-chosen key, and sending the same downtime twice (a crash between the POST and the outbox
 * mark, an answer lost in an outage) would open two notifications.
 *
 * What identifies a downtime record instead is its natural key: the machine (`TechnicalObject`) and the moment
 * the malfunction started (`MalfunctionStartDate` + `MalfunctionStartTime`) — one machine does not stop twice
 * in the same second. Before each create the target is read for a notification of that machine changed since
 * shortly before the malfunction started (its `LastChangeDateTime` is at least its creation, which follows the
 * stop; the margin covers clock skew and the plant's time zone), and the start is compared here. Found: the
 * create already happened, the record answers `unchanged` with the notification's number (or, in upsert mode,
 * `updated` through a PATCH of what differs, e.g. the malfunction end once the machine runs again). Absent: it
 * is created.
 *
 * This is safe because the outbox pusher holds one lease per connection, so no second Takt writer creates the
 * same natural key between the read and the POST, and because entries with one order key (use the machine)
 * go out one at a time. A person creating the same notification by hand in that second is not covered.
 */
export interface NaturalKeySpec {
  /** The target's own key, assigned on create: what an update addresses. */
  readonly keyFields: readonly string[];
  /** The fields that together identify the record; compared after normalising (dates, times, zero padding). */
  readonly matchFields: readonly string[];
  /** Those of `matchFields` sent to the target as equality filters (string, number or boolean values). */
  readonly filterFields: readonly string[];
  /** Narrows the read by the entity's delta field: from the instant in these fields, less `marginMs`. */
  readonly since?: { readonly dateField: string; readonly timeField?: string; readonly marginMs: number };
}

/** The natural keys Takt knows, by connector entity. */
export const NATURAL_KEYS: Readonly<Record<string, NaturalKeySpec>> = {
  'maintenance-notifications': {
    keyFields: ['MaintenanceNotification'],
    matchFields: ['TechnicalObject', 'MalfunctionStartDate', 'MalfunctionStartTime'],
    filterFields: ['TechnicalObject'],
    since: { dateField: 'MalfunctionStartDate', timeField: 'MalfunctionStartTime', marginMs: 24 * 3_600_000 },
  },
};

type Row = Readonly<Record<string, unknown>>;
type Plan =
  | { readonly kind: 'create' }
  | { readonly kind: 'found'; readonly record: Row; readonly same: boolean }
  | { readonly kind: 'invalid'; readonly error: TaktError };

/**
 * A connector whose creates and upserts of the entities in `specs` first look the record up by its natural key
 * (see above). Reads, updates, deletes and other entities pass through unchanged.
 */
export class NaturalKeyTarget extends DelegatingConnector {
  constructor(
    inner: Connector,
    private readonly specs: Readonly<Record<string, NaturalKeySpec>> = NATURAL_KEYS,
  ) {
    super(inner);
  }

  override async write(entity: string, records: readonly WriteItem[], options: WriteOptions): Promise<WriteResult[]> {
    const spec = this.specs[entity];
    if (!spec || (options.mode !== 'create' && options.mode !== 'upsert')) {
      return this.inner.write(entity, records, options);
    }
    // Lookups first: a failing read throws before anything was written, so the caller may send it all again.
    const plans: Plan[] = [];
    for (const record of records) plans.push(await this.lookUp(entity, spec, record.data, options.signal));

    const results: (WriteResult | undefined)[] = records.map(() => undefined);
    const creates: number[] = [];
    const updates: number[] = [];
    plans.forEach((plan, index) => {
      if (plan.kind === 'invalid') {
        const { code, message } = plan.error;
        results[index] = { index, action: 'error', error: { code, message, retryable: false } };
      } else if (plan.kind === 'create') creates.push(index);
      else if (plan.same || options.mode === 'create') {
        results[index] = { index, action: 'unchanged', targetId: keyText(spec, plan.record) };
      } else updates.push(index);
    });
    const sub = { ...(options.batchSize ? { batchSize: options.batchSize } : {}), ...signalOf(options) };
    if (creates.length > 0) {
      const items = creates.map((index) => records[index] as WriteItem);
      const created = await this.inner.write(entity, items, { ...sub, mode: 'create' });
      place(results, creates, created);
    }
    if (updates.length > 0) {
      const items = updates.map((index) => {
        const plan = plans[index];
        const record = records[index] as WriteItem;
        return { ...record, key: plan?.kind === 'found' ? keyOf(spec, plan.record) : {} };
      });
      try {
        place(results, updates, await this.inner.write(entity, items, { ...sub, mode: 'update' }));
      } catch (caught) {
        // The creates above happened: the call as a whole must not throw now, so each update fails alone.
        if (creates.length === 0) throw caught;
        const error = toTaktError(caught);
        for (const index of updates) {
          results[index] = {
            index,
            action: 'error',
            error: { code: error.code, message: error.message, retryable: error.retryable },
          };
        }
      }
    }
    return results.map(
      (result, index) =>
        result ?? {
          index,
          action: 'error',
          error: { code: 'RESPONSE_INVALID', message: `No result for record ${index}.`, retryable: true },
        },
    );
  }

  private async lookUp(entity: string, spec: NaturalKeySpec, data: Row, signal?: AbortSignal): Promise<Plan> {
    const filter: Record<string, string | number | boolean> = {};
    for (const field of spec.filterFields) {
      const value = data[field];
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        // This record fails alone: the others of the call are still written.
        const error = new TaktError(
          'RECORD_INVALID',
          `The record has no ${field}, which identifies it in ${entity} (with ${spec.matchFields.join(', ')}).`,
          { details: { field } },
        );
        return { kind: 'invalid', error };
      }
      filter[field] = value;
    }
    const since = sinceOf(spec, data);
    for await (const page of this.inner.read(entity, {
      filter,
      ...(since !== undefined ? { since } : {}),
      ...(signal ? { signal } : {}),
    })) {
      for (const record of page.records) {
        if (spec.matchFields.every((field) => sameValue(data[field], record[field]))) {
          const same = Object.keys(data).every((field) => sameValue(data[field], record[field]));
          return { kind: 'found', record, same };
        }
      }
    }
    return { kind: 'create' };
  }
}

function place(results: (WriteResult | undefined)[], indices: readonly number[], answers: readonly WriteResult[]) {
  for (const answer of answers) {
    const index = indices[answer.index];
    if (index !== undefined) results[index] = { ...answer, index };
  }
}

function signalOf(options: WriteOptions): { signal?: AbortSignal } {
  return options.signal ? { signal: options.signal } : {};
}

function keyOf(spec: NaturalKeySpec, record: Row): Record<string, string> {
  return Object.fromEntries(spec.keyFields.map((field) => [field, String(record[field] ?? '')]));
}

function keyText(spec: NaturalKeySpec, record: Row): string {
  return spec.keyFields.map((field) => String(record[field] ?? '')).join(',');
}

/** ISO instant to read from: the record's start (date + time of day) less the margin; undefined without one. */
function sinceOf(spec: NaturalKeySpec, data: Row): string | undefined {
  if (!spec.since) return undefined;
  const day = comparable(data[spec.since.dateField]);
  if (typeof day !== 'number') return undefined;
  const time = spec.since.timeField ? comparable(data[spec.since.timeField]) : 0;
  const start = day + (typeof time === 'number' ? time : 0);
  return new Date(start - spec.since.marginMs).toISOString();
}

/** Two field values mean the same: dates as instants, Edm.Time as milliseconds, numeric keys without padding. */
export function sameValue(a: unknown, b: unknown): boolean {
  const left = comparable(a);
  const right = comparable(b);
  return left === right;
}

const V2_DATE = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const EDM_TIME = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/;
const DIGITS = /^\d+$/;

function comparable(value: unknown): string | number | boolean | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value !== 'string') return JSON.stringify(value);
  const v2 = V2_DATE.exec(value);
  if (v2) return Number(v2[1]);
  if (ISO_DATE.test(value)) {
    const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) || value.length === 10 ? value : `${value}Z`);
    if (!Number.isNaN(ms)) return ms;
  }
  const time = EDM_TIME.exec(value);
  if (time && value !== 'PT') {
    return Math.round((Number(time[1] ?? 0) * 3_600 + Number(time[2] ?? 0) * 60 + Number(time[3] ?? 0)) * 1_000);
  }
  if (DIGITS.test(value)) return value.replace(/^0+(?=\d)/, '');
  return value;
}
