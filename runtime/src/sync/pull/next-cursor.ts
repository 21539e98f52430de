import type { ChangeSet } from './change-reader';
import { formatDelta, maxDelta, minDelta, type DeltaPoint } from './delta-value';
import type { DeltaMode } from './pull-types';
import type { PullCursor } from './stream-cursor';

export const DEFAULT_LOOKBACK_MS = 5 * 60_000;
export const DATE_ONLY_LOOKBACK_MS = 24 * 3_600_000;

/**
 * The `since` of the next read: in watermark mode the watermark minus the lookback window for instants (the
 * read is inclusive, and hash dedup drops what was already acknowledged, so the overlap costs reads, not
 * duplicates), the watermark itself for counters and text; in token mode the stored delta link. Undefined
 * means read everything: the stream's first run.
 */
export function sinceOf(cursor: PullCursor, mode: DeltaMode, lookbackMs: number | undefined): string | undefined {
  if (mode === 'token') return cursor.deltaToken;
  const watermark = cursor.watermark;
  if (!watermark) return undefined;
  if (watermark.kind !== 'instant') return formatDelta(watermark);
  const lookback = lookbackMs ?? (cursor.dateOnly ? DATE_ONLY_LOOKBACK_MS : DEFAULT_LOOKBACK_MS);
  return new Date(watermark.ms - lookback).toISOString();
}

export interface NextCursorInput {
  readonly previous: PullCursor;
  readonly set: ChangeSet;
  readonly mode: DeltaMode;
  readonly now: number;
  readonly safetyLagMs: number;
  /** Set when this run read everything (a full sync, a first run, a re-baseline): why. */
  readonly baseline?: string;
}

/**
 * The cursor the run commits (with its ACK). The watermark moves to the largest delta value examined, but:
 * - never below where it was (a source clock that jumped back does not pull it back; the lookback re-reads);
 * - never past the smallest value left unexamined when the read stopped at `maxRecords`;
 * - never past now − safety lag, so a record dated in the future is handed out without dragging the
 *   watermark after it, and records the source commits late (dated a little in the past) are still read.
 * In token mode the new delta link is the last page's cursor of a complete read; a truncated read keeps the
 * old link, so what was not handed out is read again.
 */
export function nextCursor(input: NextCursorInput): PullCursor {
  const { previous, set } = input;
  let watermark = previous.watermark;
  if (input.mode === 'watermark') {
    let reach: DeltaPoint | undefined = minDelta(set.maxDelta, set.cap);
    if (reach?.kind === 'instant') {
      const limit = input.now - input.safetyLagMs;
      if (reach.ms > limit) reach = { ...reach, ms: limit };
    }
    watermark = maxDelta(previous.watermark, reach);
  }
  const deltaToken =
    input.mode === 'token' && !set.truncated && set.lastCursor !== undefined ? set.lastCursor : previous.deltaToken;
  const dateOnly = set.maxDelta?.kind === 'instant' ? set.dateOnly : previous.dateOnly === true;
  // A baseline counts once it read everything: a read cut at maxRecords continues in the next run.
  const baselined = input.baseline !== undefined && !set.truncated;
  const baselineAt = baselined ? new Date(input.now).toISOString() : previous.baselineAt;
  const baselineReason = baselined ? input.baseline : previous.baselineReason;
  return {
    ...(watermark ? { watermark } : {}),
    ...(deltaToken !== undefined ? { deltaToken } : {}),
    ...(dateOnly ? { dateOnly } : {}),
    ...(baselineAt !== undefined ? { baselineAt } : {}),
    ...(baselineReason !== undefined ? { baselineReason } : {}),
  };
}
