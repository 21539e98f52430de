import type { ResultPaths } from './config';
import { getPath } from './json-path';
import { failed, outcomeOf, type RecordOutcome } from './record-outcome';

export interface SentRecord {
  /** The record's first key field, as the target echoes it. */
  readonly key: string;
  /** "jobs SO-003", for messages. */
  readonly label: string;
}

/**
 * Pairs a bulk answer with the records sent, one outcome per record in sending order. Results are matched by
 * the echoed index when the target numbers them, else by position; either way the echoed key must agree, so an
 * answer the connector cannot pair with certainty marks the records RESPONSE_INVALID (retryable: an upsert can
 * be repeated) instead of crediting one record with another's outcome.
 */
export function bulkOutcomes(body: unknown, paths: ResultPaths, sent: readonly SentRecord[]): RecordOutcome[] {
  const results = getPath(body, paths.bulk);
  if (!Array.isArray(results)) {
    return sent.map((record) =>
      failed('RESPONSE_INVALID', `${record.label}: the bulk answer has no results array at "${paths.bulk}".`, true),
    );
  }
  const byIndex = paths.index === undefined ? undefined : indexResults(results, paths.index);
  if (!byIndex && results.length !== sent.length) {
    return sent.map((record) =>
      failed(
        'RESPONSE_INVALID',
        `${record.label}: the bulk answer holds ${results.length} results for ${sent.length} records sent.`,
        true,
      ),
    );
  }
  return sent.map((record, position) => {
    const result: unknown = byIndex ? byIndex.get(position) : results[position];
    if (result === undefined) {
      return failed('RESPONSE_INVALID', `${record.label}: the bulk answer has no result for this record.`, true);
    }
    const echoed = paths.key === undefined ? undefined : getPath(result, paths.key);
    if (echoed !== undefined && echoed !== null && String(echoed) !== record.key) {
      return failed(
        'RESPONSE_INVALID',
        `${record.label}: the bulk answer's result ${position} is for ${String(echoed)}; results out of order.`,
        true,
      );
    }
    return outcomeOf(result, paths, record.label);
  });
}

function indexResults(results: readonly unknown[], path: string): Map<number, unknown> {
  const map = new Map<number, unknown>();
  for (const result of results) {
    const index = getPath(result, path);
    if (typeof index === 'number' && Number.isInteger(index)) map.set(index, result);
  }
  return map;
}
