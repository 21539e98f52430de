/**
 * Synthetic SAP production orders (API_PRODUCTION_ORDER_2_SRV, A_ProductionOrder_2, OData V2) for the
 * workloads: deterministic (record i is the same in every run and every process), ~0.5 KB of JSON each, a
 * unique ManufacturingOrder per index and a 14-character UTC LastChangeDateTime that grows with the index,
 * so a stream of them is in delta order and its last record carries the watermark.
 *
 * The shape is the OData V2 one the SAP preset maps: decimals as strings, `/Date(ms)/` days with Edm.Time
 * `PThhHmmMssS` times, 'X' / '' flags. Fields the preset ignores (__metadata, creation date) are left out to
 * keep the record at the issue's ~0.5 KB; the preset reads what it reads either way.
 */

/** The preset W1–W4 map with: SAP production order header → canonical work_order. */
export const SAP_ORDER_PRESET = 'sap/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrder_2';
/** The connection's external source, given to fromPreset so every record carries `external_source`. */
export const SAP_SOURCE = 'sap-bench-100';

const DAY_MS = 86_400_000;
/** Stamps start here and grow by one second per index: 1M records span ~11.6 days. */
const FIRST_CHANGE_MS = Date.UTC(2024, 4, 1, 6, 0, 0);
const ORDER_TYPES = ['PP01', 'PP02', 'YP01'] as const;
const TIMES = ['PT06H00M00S', 'PT07H30M00S', 'PT14H15M30S', 'PT22H00M00S'] as const;

/** ManufacturingOrder of record `index`: 10-digit, unique per index. */
export function orderNumber(index: number): string {
  return String(1_000_000_000 + index);
}

/** YYYYMMDDhhmmss (UTC) of record `index`: one second after record `index - 1`'s. */
export function lastChangeDateTime(index: number): string {
  return new Date(FIRST_CHANGE_MS + index * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

const flag = (set: boolean): string => (set ? 'X' : '');

/** Record `index` of the synthetic stream. */
export function sapProductionOrder(index: number): Record<string, unknown> {
  const start = Date.UTC(2024, 0, 1) + (index % 365) * DAY_MS;
  return {
    ManufacturingOrder: orderNumber(index),
    ManufacturingOrderCategory: '10',
    ManufacturingOrderType: ORDER_TYPES[index % ORDER_TYPES.length],
    Material: `FG-${String(index % 500).padStart(4, '0')}`,
    ProductionPlant: '1710',
    MRPController: '001',
    ProductionVersion: '0001',
    SalesOrder: index % 3 === 0 ? '' : String(5_000_000 + index),
    TotalQuantity: `${(index % 1000) + 1}.000`,
    ProductionUnit: 'PC',
    MfgOrderPlannedScrapQty: `${index % 10}.000`,
    MfgOrderConfirmedYieldQty: `${index % 100}.500`,
    MfgOrderPlannedStartDate: `/Date(${start})/`,
    MfgOrderPlannedStartTime: TIMES[index % TIMES.length],
    MfgOrderPlannedEndDate: `/Date(${start + 3 * DAY_MS})/`,
    MfgOrderPlannedEndTime: TIMES[(index + 1) % TIMES.length],
    MfgOrderScheduledStartDate: `/Date(${start + DAY_MS})/`,
    MfgOrderScheduledStartTime: TIMES[(index + 2) % TIMES.length],
    MfgOrderScheduledEndDate: `/Date(${start + 2 * DAY_MS})/`,
    MfgOrderScheduledEndTime: TIMES[(index + 3) % TIMES.length],
    OrderIsReleased: flag(index % 2 === 0),
    OrderIsPartiallyConfirmed: flag(index % 5 === 0),
    OrderIsConfirmed: flag(index % 11 === 0),
    OrderIsTechnicallyCompleted: flag(index % 13 === 0),
    OrderIsClosed: flag(index % 17 === 0),
    OrderIsMarkedForDeletion: flag(index % 101 === 0),
    OrderIsDeleted: '',
    LastChangeDateTime: lastChangeDateTime(index),
  };
}

/** Records `[start, start + count)`: one page as a connector would deliver it. */
export function sapOrderPage(start: number, count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, offset) => sapProductionOrder(start + offset));
}
