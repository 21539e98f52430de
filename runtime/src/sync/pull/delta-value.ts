import type { DeltaFieldType } from '../../connectors';
import { parseInstant } from '../../connectors/sap/odata-date';

/**
 * A record's delta-field value, read so that values of one stream compare correctly:
 * - `instant`: a point in time (ISO 8601, SAP's 14-digit stamp, OData V2 `/Date(…)/`); the lookback window and
 *   the safety lag apply to these. `dateOnly` marks a bare `YYYY-MM-DD`, whose lookback must be a whole day.
 * - `number`: a change counter or row version; compared numerically, read inclusively, no lookback.
 * - `text`: any other string; compared by code unit as the source's `ge` filter does, no lookback.
 *
 * The instant parser is the SAP connector's: the same formats reach every connector through OData, and one
 * tested reader is better than two that disagree on a corner (an impossible date, a zone without a colon).
 */
export type DeltaPoint =
  | { readonly kind: 'instant'; readonly ms: number; readonly dateOnly: boolean }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'text'; readonly value: string };

const BARE_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The delta point of a raw field value, or undefined when the record has none (never-changed SAP equipment). */
export function readDelta(raw: unknown, type: DeltaFieldType | undefined): DeltaPoint | undefined {
  if (raw === null || raw === undefined || raw === '') return undefined;
  if (type === 'number') {
    const value = typeof raw === 'number' ? raw : Number(raw);
    return Number.isFinite(value) ? { kind: 'number', value } : undefined;
  }
  const text = typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : undefined;
  if (text === undefined) return undefined;
  const at = parseInstant(text);
  if (at) return { kind: 'instant', ms: at.getTime(), dateOnly: BARE_DATE.test(text.trim()) };
  // A field declared as a date type that does not parse is not a date: comparing it as text keeps the run
  // going, and the value still reaches the host unchanged.
  return { kind: 'text', value: text };
}

/** Orders two points; points of different kinds order by kind so a mixed stream stays deterministic. */
export function compareDelta(a: DeltaPoint, b: DeltaPoint): number {
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  if (a.kind === 'instant' && b.kind === 'instant') return a.ms - b.ms;
  if (a.kind === 'number' && b.kind === 'number') return a.value - b.value;
  if (a.kind === 'text' && b.kind === 'text') return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  return 0;
}

const KIND_ORDER = { number: 0, text: 1, instant: 2 } as const;

export function maxDelta(a: DeltaPoint | undefined, b: DeltaPoint | undefined): DeltaPoint | undefined {
  if (!a) return b;
  if (!b) return a;
  return compareDelta(a, b) >= 0 ? a : b;
}

export function minDelta(a: DeltaPoint | undefined, b: DeltaPoint | undefined): DeltaPoint | undefined {
  if (!a) return b;
  if (!b) return a;
  return compareDelta(a, b) <= 0 ? a : b;
}

/** How a point is written into the cursor document and into `ReadOptions.since`. */
export function formatDelta(point: DeltaPoint): string {
  switch (point.kind) {
    case 'instant':
      return new Date(point.ms).toISOString();
    case 'number':
      return String(point.value);
    case 'text':
      return point.value;
  }
}

/** Reads back what formatDelta wrote, knowing its kind from the cursor document. */
export function parseStoredDelta(kind: DeltaPoint['kind'], value: string): DeltaPoint | undefined {
  switch (kind) {
    case 'instant': {
      const ms = Date.parse(value);
      return Number.isNaN(ms) ? undefined : { kind, ms, dateOnly: false };
    }
    case 'number': {
      const number = Number(value);
      return Number.isFinite(number) ? { kind, value: number } : undefined;
    }
    case 'text':
      return { kind, value };
  }
}
