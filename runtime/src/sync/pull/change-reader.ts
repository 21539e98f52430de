import type { Connector, EntityDescriptor, ReadOptions } from '../../connectors';
import { toTaktError } from '../../errors';
import type { Logger } from '../../log';
import type { IdMapping, JobRecordError } from '../../state';
import { contentHash } from '../content-hash';
import { compareDelta, maxDelta, minDelta, readDelta, type DeltaPoint } from './delta-value';
import { externalIdOf } from './record-key';

/** A changed record the run will hand out. */
export interface Candidate {
  readonly externalId: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly contentHash: string;
  readonly change: 'created' | 'updated';
  readonly delta: DeltaPoint | undefined;
  readonly rawDelta: string | undefined;
}

export interface ChangeSet {
  /** Changed records, one per key, in the order their newest version was read. */
  readonly candidates: readonly Candidate[];
  readonly read: number;
  readonly unchanged: number;
  /** The largest delta value among the records examined. */
  readonly maxDelta: DeltaPoint | undefined;
  /** When the read stopped at `maxRecords`: the smallest delta value left unexamined in the last page. */
  readonly cap: DeltaPoint | undefined;
  readonly truncated: boolean;
  /** The last page's cursor: the new delta link in token mode. */
  readonly lastCursor: string | undefined;
  /** Every instant seen was a bare date. */
  readonly dateOnly: boolean;
  /** Records that could not be keyed or hashed: reported, never silently dropped. */
  readonly errors: readonly JobRecordError[];
}

export interface ChangeReadInput {
  readonly connector: Connector;
  readonly descriptor: EntityDescriptor;
  readonly readOptions: ReadOptions;
  /** The id map rows of these external ids (the stream's stored content hashes). */
  readonly lookup: (externalIds: readonly string[]) => Promise<Map<string, IdMapping>>;
  readonly hashOf: (record: Readonly<Record<string, unknown>>) => unknown;
  readonly maxRecords: number;
  /** Runs after every page: lease renewal, cooperative cancel. */
  readonly afterPage: () => Promise<void>;
  readonly now: number;
  readonly log: Logger;
}

interface Examined {
  readonly externalId: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly hash: string;
  readonly delta: DeltaPoint | undefined;
  readonly rawDelta: string | undefined;
}

/**
 * Reads the source once and keeps what changed, deciding per key on its newest version:
 *
 * - a key read twice (a page repeating a record, overlapping pages) keeps the version with the larger delta
 *   value, the later one on a tie; an older version read later is ignored;
 * - a version whose content hash equals the id map's is unchanged and not handed out, and it withdraws an
 *   earlier changed version of the same key read in this run (the record changed back);
 * - at `maxRecords` changed keys the read stops; the smallest delta value left in that page caps the
 *   watermark, so records not handed out are read again (later pages are at or above it: connectors read in
 *   delta order).
 *
 * Memory holds the changed records only, not the whole read.
 */
export async function readChanges(input: ChangeReadInput): Promise<ChangeSet> {
  const { descriptor, log } = input;
  const deltaField = descriptor.deltaField;
  const candidates = new Map<string, Candidate>();
  const errors: JobRecordError[] = [];
  let read = 0;
  let unchanged = 0;
  let max: DeltaPoint | undefined;
  let cap: DeltaPoint | undefined;
  let truncated = false;
  let lastCursor: string | undefined;
  let instants = 0;
  let bareDates = 0;

  for await (const page of input.connector.read(descriptor.name, input.readOptions)) {
    lastCursor = page.cursor;
    const examined: (Examined | undefined)[] = page.records.map((data) => {
      const index = read++;
      const externalId = externalIdOf(descriptor.keyFields, data);
      if (externalId === undefined) {
        errors.push(recordError(index, descriptor, undefined, 'KEY_MISSING', missingKey(descriptor)));
        return undefined;
      }
      let hash: string;
      try {
        hash = contentHash(input.hashOf(data));
      } catch (error) {
        const taktError = toTaktError(error);
        errors.push(recordError(index, descriptor, externalId, taktError.code, taktError.message));
        return undefined;
      }
      const rawValue = deltaField === undefined ? undefined : data[deltaField];
      const delta = readDelta(rawValue, descriptor.deltaFieldType);
      if (delta?.kind === 'instant') {
        instants++;
        if (delta.dateOnly) bareDates++;
      }
      return { externalId, data, hash, delta, rawDelta: delta ? String(rawValue) : undefined };
    });
    const ids = [...new Set(examined.flatMap((record) => (record ? [record.externalId] : [])))];
    const stored = ids.length > 0 ? await input.lookup(ids) : new Map<string, IdMapping>();

    for (let i = 0; i < examined.length; i++) {
      const record = examined[i];
      if (!record) continue;
      const existing = candidates.get(record.externalId);
      if (existing?.delta && record.delta && compareDelta(record.delta, existing.delta) < 0) {
        max = maxDelta(max, record.delta);
        continue;
      }
      const previous = stored.get(record.externalId);
      if (previous?.contentHash === record.hash) {
        unchanged++;
        candidates.delete(record.externalId);
        max = maxDelta(max, record.delta);
        continue;
      }
      if (!existing && candidates.size >= input.maxRecords) {
        truncated = true;
        for (const rest of examined.slice(i)) cap = minDelta(cap, rest?.delta);
        break;
      }
      if (record.delta?.kind === 'instant' && record.delta.ms > input.now) {
        log.warn('record dated in the future: handed out, but the watermark does not follow it', {
          entity: descriptor.name,
          externalId: record.externalId,
          delta: record.rawDelta,
        });
      }
      candidates.delete(record.externalId);
      candidates.set(record.externalId, {
        externalId: record.externalId,
        data: record.data,
        contentHash: record.hash,
        change: previous ? 'updated' : 'created',
        delta: record.delta,
        rawDelta: record.rawDelta,
      });
      max = maxDelta(max, record.delta);
    }
    if (truncated) break;
    await input.afterPage();
  }

  return {
    candidates: [...candidates.values()],
    read,
    unchanged,
    maxDelta: max,
    cap,
    truncated,
    lastCursor: truncated ? undefined : lastCursor,
    dateOnly: instants > 0 && bareDates === instants,
    errors,
  };
}

function missingKey(descriptor: EntityDescriptor): string {
  return (
    `A ${descriptor.name} record has no value in its key field(s) ${descriptor.keyFields.join(', ')}: it cannot ` +
    'be deduplicated, so it is reported instead of handed out.'
  );
}

function recordError(
  recordIndex: number,
  descriptor: EntityDescriptor,
  externalId: string | undefined,
  code: string,
  message: string,
): JobRecordError {
  return {
    recordIndex,
    entity: descriptor.name,
    ...(externalId !== undefined ? { externalId } : {}),
    code,
    message,
    retryable: false,
  };
}
