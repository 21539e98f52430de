import { TaktError } from '../../errors';
import { formatDelta, parseStoredDelta, type DeltaPoint } from './delta-value';

/**
 * What a pull stream remembers between runs, stored as the value of the store's versioned cursor (the store
 * treats it as opaque text; the version around it is the compare-and-set fence). Versioned itself (`v`), so
 * a later release can read what an earlier one wrote.
 *
 * - `watermark`: the largest delta value the stream has handed out and had acknowledged, never past
 *   now − safety lag. The next read asks for `since = watermark − lookback` (inclusive).
 * - `deltaToken`: for sources that hand out an opaque delta link instead (token mode), the link of the last
 *   complete read.
 * - `dateOnly`: the delta field carries whole days, so the default lookback is a day.
 * - `baselineAt` / `baselineReason`: when the stream last read everything (a full sync or a re-baseline after
 *   an expired delta), and why.
 */
export interface PullCursor {
  readonly watermark?: DeltaPoint;
  readonly deltaToken?: string;
  readonly dateOnly?: boolean;
  readonly baselineAt?: string;
  readonly baselineReason?: string;
}

interface StoredCursorV1 {
  readonly v: 1;
  readonly watermark?: string;
  readonly watermarkKind?: DeltaPoint['kind'];
  readonly deltaToken?: string;
  readonly dateOnly?: boolean;
  readonly baselineAt?: string;
  readonly baselineReason?: string;
}

/** The store's stream name of a pull: one per (connection, entity). */
export function pullStreamName(connection: string, entity: string): string {
  return `pull/${encodeURIComponent(connection)}/${encodeURIComponent(entity)}`;
}

/** Deliveries of single-record syncs live under their own stream, so they never block the incremental one. */
export function singleStreamName(connection: string, entity: string): string {
  return `${pullStreamName(connection, entity)}/single`;
}

export function serializeCursor(cursor: PullCursor): string {
  const stored: StoredCursorV1 = {
    v: 1,
    ...(cursor.watermark ? { watermark: formatDelta(cursor.watermark), watermarkKind: cursor.watermark.kind } : {}),
    ...(cursor.deltaToken !== undefined ? { deltaToken: cursor.deltaToken } : {}),
    ...(cursor.dateOnly ? { dateOnly: true } : {}),
    ...(cursor.baselineAt !== undefined ? { baselineAt: cursor.baselineAt } : {}),
    ...(cursor.baselineReason !== undefined ? { baselineReason: cursor.baselineReason } : {}),
  };
  return JSON.stringify(stored);
}

/** Reads a stored cursor; an absent one is the empty cursor, a damaged one is STORE_CORRUPT (never guessed). */
export function parseCursor(stream: string, value: string | undefined): PullCursor {
  if (value === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw corrupt(stream, 'it is not JSON');
  }
  if (!isRecord(parsed) || parsed.v !== 1) throw corrupt(stream, 'its format version is unknown');
  const { watermark, watermarkKind, deltaToken, dateOnly, baselineAt, baselineReason } = parsed;
  let point: DeltaPoint | undefined;
  if (watermark !== undefined) {
    if (typeof watermark !== 'string' || !isKind(watermarkKind)) throw corrupt(stream, 'its watermark is malformed');
    const read = parseStoredDelta(watermarkKind, watermark);
    if (!read) throw corrupt(stream, 'its watermark does not parse');
    point = read.kind === 'instant' ? { ...read, dateOnly: dateOnly === true } : read;
  }
  return {
    ...(point ? { watermark: point } : {}),
    ...(typeof deltaToken === 'string' ? { deltaToken } : {}),
    ...(dateOnly === true ? { dateOnly: true } : {}),
    ...(typeof baselineAt === 'string' ? { baselineAt } : {}),
    ...(typeof baselineReason === 'string' ? { baselineReason } : {}),
  };
}

function isKind(value: unknown): value is DeltaPoint['kind'] {
  return value === 'instant' || value === 'number' || value === 'text';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function corrupt(stream: string, why: string): TaktError {
  return new TaktError(
    'STORE_CORRUPT',
    `The cursor of pull stream "${stream}" cannot be read: ${why}. Reset the stream's cursor (a full sync ` +
      'follows) rather than let the pull guess where it stopped.',
    { details: { stream } },
  );
}
