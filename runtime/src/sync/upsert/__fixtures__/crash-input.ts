import type { EntityDescriptor } from '../../../connectors';

/** The input of the crash tests: record i of n, in cursor order, with values that must arrive bit-exact. */
export const CRASH_STREAM = 'crash-push';
export const CRASH_CONNECTION = 'crash-mes';
export const CRASH_ENTITY = 'work_order';
export const CRASH_SOURCE = 'sap-prd-100';

export const CRASH_DESCRIPTORS: readonly EntityDescriptor[] = [
  {
    name: CRASH_ENTITY,
    title: 'Work orders',
    keyFields: ['external_source', 'external_id'],
    capabilities: { read: true, create: true, update: true, delete: true, upsert: true, batch: true },
  },
];

/** Cursor of record i: fixed width, so text order is record order. */
export function crashCursor(i: number): string {
  return String(i).padStart(6, '0');
}

export function crashExternalId(i: number): string {
  return `WO-${crashCursor(i)}`;
}

export function crashRecord(i: number): Record<string, unknown> {
  return {
    external_source: CRASH_SOURCE,
    external_id: crashExternalId(i),
    seq: crashCursor(i),
    order_number: String(1_234_567_890_000 + i).padStart(18, '0'),
    quantity: '0.000000000000000001',
    serial: (2n ** 60n + BigInt(i)).toString(),
  };
}
