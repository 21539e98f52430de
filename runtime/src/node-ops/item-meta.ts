/**
 * The metadata a Takt item carries through a flow (n8n: `item.json._takt`, Node-RED: `msg._takt`). Every Takt
 * node copies the incoming `_takt` to its output unchanged, so an Acknowledge node at the end of a flow finds the
 * token of the delivery or event the item came from, whatever Map and Upsert Sync did to the record.
 */
export interface TaktItemMeta {
  /** What acknowledges the item's delivery or event (see ack-token.ts). */
  readonly token?: string;
  /** `pull`: a trigger's delivery (one token for many items); `event`: one webhook event; `replay`: a dead letter. */
  readonly deliveryKind?: 'pull' | 'event' | 'replay';
  /** The pull stream the delivery belongs to. */
  readonly stream?: string;
  readonly eventId?: string;
  readonly deadLetterId?: number;
  /** The record's key in the source (the id map's external id). */
  readonly externalId?: string;
  /** What the trigger saw: new to the stream, or changed since it was last acknowledged. */
  readonly change?: 'created' | 'updated';
}

/** The field name both hosts use. */
export const TAKT_META_FIELD = '_takt';

/** Reads `_takt` from an item or message, ignoring anything that is not an object. */
export function readItemMeta(carrier: unknown): TaktItemMeta | undefined {
  if (typeof carrier !== 'object' || carrier === null) return undefined;
  const meta: unknown = (carrier as Record<string, unknown>)[TAKT_META_FIELD];
  return typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? (meta as TaktItemMeta) : undefined;
}

/** `record` with `meta` attached as `_takt` (a new object; `record` is not changed). */
export function withItemMeta<T extends Record<string, unknown>>(
  record: T,
  meta: TaktItemMeta | undefined,
): T & { _takt?: TaktItemMeta } {
  if (meta === undefined) return { ...record };
  return { ...record, [TAKT_META_FIELD]: meta };
}

/** `record` without its `_takt` field: what a mapping or a target should see. */
export function withoutItemMeta(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  if (!(TAKT_META_FIELD in record)) return { ...record };
  const { [TAKT_META_FIELD]: _dropped, ...rest } = record;
  return rest;
}
