import type { CommitUnit, JobCounters, Lease } from '../../state';
import type { Settled } from './settle';

export interface CommitParts {
  readonly settled: readonly Settled[];
  readonly jobId: string | undefined;
  readonly lease: Lease | undefined;
  readonly cursor: CommitUnit['cursor'];
}

/**
 * The local effects of one batch as one CommitUnit: the id map rows of what the target acknowledged (or
 * what we learned agrees with it), the job's counters and per-record errors, and the stream cursor when the
 * batch completes a chunk. Undefined when there is nothing to commit (every record unchanged, no job, no
 * cursor), so an all-unchanged run touches neither target nor store.
 */
export function commitUnitOf(parts: CommitParts): CommitUnit | undefined {
  const idMap = parts.settled.flatMap((entry) => (entry.idMap ? [entry.idMap] : []));
  const errors = parts.settled.flatMap((entry) => (entry.jobError ? [entry.jobError] : []));
  const job = parts.jobId === undefined ? undefined : { id: parts.jobId, counters: countersOf(parts.settled), errors };
  if (idMap.length === 0 && !job && !parts.cursor) return undefined;
  return {
    ...(parts.lease ? { lease: parts.lease } : {}),
    ...(parts.cursor ? { cursor: parts.cursor } : {}),
    ...(idMap.length > 0 ? { idMap } : {}),
    ...(job ? { job } : {}),
  };
}

export function countersOf(settled: readonly Settled[]): Partial<JobCounters> {
  const counters = { read: settled.length, created: 0, updated: 0, unchanged: 0, skipped: 0, conflict: 0, failed: 0 };
  for (const { result } of settled) {
    if (result.action === 'error') counters.failed += 1;
    else counters[result.action] += 1;
  }
  return counters;
}
