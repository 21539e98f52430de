import type { VariantSummary } from '../../harness/measure';

/** The line prefix stream-run.js prints its result under; w2-streaming.ts reads it. */
export const RUN_PREFIX = 'W2_RUN ';

/** What one W2 size reports to the parent: the harness summary plus the memory figures W2 is about. */
export interface StreamRunResult {
  readonly summary: VariantSummary;
  /** Peak RSS of the process before the measured pass (modules loaded, store open), MiB. */
  readonly rssBeforeMiB: number;
  /** Heap in use after a full GC just before the pass, MiB. */
  readonly heapBaselineMiB: number;
  /** The most heap in use seen at any page or batch boundary during the pass, MiB. */
  readonly peakHeapMiB: number;
  readonly pages: number;
}
