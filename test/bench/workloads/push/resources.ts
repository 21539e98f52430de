import type { WriteItem, WriteResult } from '@takt/runtime';

/** The MES entity W5 pushes: flat records (no nested children), so a call's cost is the records it carries. */
export const PUSH_ENTITY = 'resources';

const TYPES = ['tooling', 'fixture', 'mold', 'material', 'equipment'] as const;
const STATUSES = ['available', 'in_use', 'maintenance'] as const;

/**
 * Record `index` in the MES sync API's resource shape, as a mapping hands it to the connector: the upsert key
 * (external_id + external_source) and the vendor's fields, ~200 bytes of JSON. The source is set per run
 * (`withSource`) so every run creates its own 100k records in the same MES.
 */
export function resource(index: number): Record<string, unknown> {
  return {
    external_id: `RES-${String(index).padStart(6, '0')}`,
    external_source: '',
    name: `Fixture ${index}`,
    type: TYPES[index % TYPES.length],
    description: `Clamping fixture for part family ${index % 97}`,
    identifier: `FX-${index}`,
    location: `Hall ${(index % 8) + 1}, bay ${(index % 40) + 1}`,
    status: STATUSES[index % STATUSES.length],
  };
}

/**
 * Sets every record's external_source in place: one assignment per record instead of a copy of 100k objects
 * inside the timed run. The connector copies what it sends, so nothing it holds is changed afterwards.
 */
export function withSource(records: readonly Record<string, unknown>[], source: string): void {
  for (const record of records) record.external_source = source;
}

/**
 * Splits the items into `inFlight` contiguous slices and writes them concurrently over the one connector (one
 * connection: one socket pool, one rate limiter, one Retry-After pause). Each write sends its slice's calls
 * one after another, so at most `inFlight` requests are open at once.
 */
export async function pushConcurrently(
  write: (slice: readonly WriteItem[]) => Promise<WriteResult[]>,
  items: readonly WriteItem[],
  inFlight: number,
): Promise<{ slices: readonly (readonly WriteItem[])[]; results: WriteResult[][] }> {
  const size = Math.ceil(items.length / inFlight);
  const slices = Array.from({ length: inFlight }, (_, i) => items.slice(i * size, (i + 1) * size)).filter(
    (slice) => slice.length > 0,
  );
  return { slices, results: await Promise.all(slices.map(write)) };
}

/**
 * Every record's result, in order: one per record, `results[k].index === k`, created (each run writes new
 * keys), with the MES id. Returns how many did not hold, by reason, so the check names what went wrong.
 */
export function resultProblems(
  slices: readonly (readonly WriteItem[])[],
  results: readonly WriteResult[][],
): { notCreated: number; outOfOrder: number; missingId: number; count: number } {
  let notCreated = 0;
  let outOfOrder = 0;
  let missingId = 0;
  let count = 0;
  slices.forEach((slice, s) => {
    const answered = results[s] ?? [];
    if (answered.length !== slice.length) outOfOrder += Math.abs(slice.length - answered.length);
    answered.forEach((result, k) => {
      count += 1;
      if (result.index !== k) outOfOrder += 1;
      if (result.action !== 'created') notCreated += 1;
      if (!result.targetId) missingId += 1;
    });
  });
  return { notCreated, outOfOrder, missingId, count };
}
