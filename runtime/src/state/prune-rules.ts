import { TaktError } from '../errors';
import { PRUNE_DEFAULT_AGE_MS, type PruneOptions } from './types';

/** Every cutoff of a prune, defaults applied and the ones that guard live records capped at now. */
export interface PruneCutoffs {
  /** Done, released and expired in-progress claims with `expires_at` before this (never after now). */
  readonly claims: number;
  readonly outboxSent: number;
  readonly deliveriesAcked: number;
  /** Pending deliveries with `expires_at` before this (never after now). */
  readonly deliveriesExpired: number;
  readonly deadLettersResolved: number;
  readonly jobsFinished: number;
}

function cutoff(name: keyof PruneOptions, value: number | undefined, now: number): number {
  if (value === undefined) return now - PRUNE_DEFAULT_AGE_MS;
  if (!Number.isFinite(value)) {
    throw new TaktError('CONFIG_INVALID', `State store: prune "${name}" must be epoch milliseconds, got ${value}.`);
  }
  return value;
}

/** Shared by every adapter, so a prune deletes the same rows on memory, SQLite and PostgreSQL. */
export function pruneCutoffs(options: PruneOptions, now: number): PruneCutoffs {
  const deliveries = cutoff('deliveriesBefore', options.deliveriesBefore, now);
  return {
    claims: Math.min(cutoff('claimsBefore', options.claimsBefore, now), now),
    outboxSent: cutoff('outboxSentBefore', options.outboxSentBefore, now),
    deliveriesAcked: deliveries,
    deliveriesExpired: Math.min(deliveries, now),
    deadLettersResolved: cutoff('deadLettersResolvedBefore', options.deadLettersResolvedBefore, now),
    jobsFinished: cutoff('jobsFinishedBefore', options.jobsFinishedBefore, now),
  };
}
