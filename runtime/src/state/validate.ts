import { TaktError, redactText } from '../errors';
import type { ErrorRecord } from './types';

/** Argument checks every adapter shares, so a bad call fails the same way on memory, SQLite and PostgreSQL. */
export function requireText(name: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TaktError('CONFIG_INVALID', `State store: "${name}" must be a non-empty string.`);
  }
}

export function requirePositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new TaktError(
      'CONFIG_INVALID',
      `State store: "${name}" must be a positive number of milliseconds, got ${value}.`,
    );
  }
}

export function requireVersion(value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new TaktError(
      'CONFIG_INVALID',
      `State store: a cursor's expected version must be an integer ≥ 0, got ${value}.`,
    );
  }
}

/** Stored errors are re-redacted on the way in: the store is the last line before disk (invariant I7). */
export function storedError(error: ErrorRecord): ErrorRecord {
  return { code: error.code, message: redactText(error.message), retryable: error.retryable };
}

export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 10_000;

export function listLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit <= 0) {
    throw new TaktError('CONFIG_INVALID', `State store: "limit" must be a positive integer, got ${limit}.`);
  }
  return Math.min(limit, MAX_LIST_LIMIT);
}

export function requireClaimArgs(scope: string, key: string, owner: string, ttlMs: number): void {
  requireText('scope', scope);
  requireText('key', key);
  requireText('owner', owner);
  requirePositive('ttlMs', ttlMs);
}

export function requireLeaseArgs(stream: string, owner: string, ttlMs: number): void {
  requireText('stream', stream);
  requireText('owner', owner);
  requirePositive('ttlMs', ttlMs);
}
