import type { SimRecord } from '../model/edm';
import type { DataSetDef } from '../model/entity-set';
import { PLANTS, REFERENCED_WORK_CENTERS, WORK_CENTER_KINDS, type WorkCenterKind } from './catalog';
import { indexRandom } from '../../seeded-random';
import { baseChangeTime, DAY_MS, startOfDay } from './timeline';
import { numericIndex } from './keys';
import { touchDate } from './stamps';

/**
 * Work centers (API_WORK_CENTERS A_WorkCenters, V4 WorkCenterHeader; reference A.11). Keys: the internal id
 * (CRHD-OBJID, 8-digit numeric text) and the type code "A". Read-only, as the V2 API is.
 */
const FIRST_ID = 10_000_000;

export function workCenterKind(index: number): WorkCenterKind {
  const kind = WORK_CENTER_KINDS[index % WORK_CENTER_KINDS.length];
  if (!kind) throw new Error('no work center kinds');
  return kind;
}

/** The human work center code (CRHD-ARBPL): kind prefix + running number, 8 characters. */
export function workCenterCode(index: number): string {
  return `${workCenterKind(index).prefix}${String(index + 1).padStart(6, '0')}`;
}

export function workCenterPlant(index: number): string {
  return PLANTS[Math.floor(index / WORK_CENTER_KINDS.length) % PLANTS.length] ?? '1010';
}

/** A work center that shop-floor records refer to, stable for a given draw. */
export function referencedWorkCenter(draw: number): number {
  return draw % REFERENCED_WORK_CENTERS;
}

export function workCenters(seed: number): DataSetDef {
  return {
    name: 'WorkCenters',
    keys: ['WorkCenterInternalID', 'WorkCenterTypeCode'],
    properties: [
      { name: 'WorkCenterInternalID', kind: 'string', maxLength: 8, nullable: false, alpha: true },
      { name: 'WorkCenterTypeCode', kind: 'string', maxLength: 2, nullable: false },
      { name: 'WorkCenter', kind: 'string', maxLength: 8 },
      { name: 'WorkCenterDesc', kind: 'string', maxLength: 40 },
      { name: 'Plant', kind: 'string', maxLength: 4 },
      { name: 'WorkCenterCategoryCode', kind: 'string', maxLength: 4 },
      { name: 'WorkCenterResponsible', kind: 'string', maxLength: 3 },
      { name: 'SupplyArea', kind: 'string', maxLength: 10 },
      { name: 'WorkCenterUsage', kind: 'string', maxLength: 3 },
      { name: 'MatlCompIsMarkedForBackflush', kind: 'boolean' },
      { name: 'WorkCenterIsToBeDeleted', kind: 'boolean' },
      { name: 'ValidityStartDate', kind: 'date' },
      { name: 'ValidityEndDate', kind: 'date' },
      { name: 'LastChangeDate', kind: 'date' },
    ],
    navigations: [],
    monotone: ['WorkCenterInternalID', 'LastChangeDate'],
    writes: { create: false, update: false },
    baseCount: (size) => size,
    generate(index): SimRecord {
      const random = indexRandom(seed, 'work-center', index);
      const kind = workCenterKind(index);
      const changed = baseChangeTime(index, random.next());
      return {
        WorkCenterInternalID: String(FIRST_ID + index),
        WorkCenterTypeCode: 'A',
        WorkCenter: workCenterCode(index),
        WorkCenterDesc: `${kind.description} ${index + 1}`,
        Plant: workCenterPlant(index),
        WorkCenterCategoryCode: kind.prefix === 'AS' || kind.prefix === 'PK' ? '0002' : '0001',
        WorkCenterResponsible: String(random.int(1, 5)).padStart(3, '0'),
        SupplyArea: random.chance(0.5) ? `PSA-${kind.prefix}` : '',
        WorkCenterUsage: '009',
        MatlCompIsMarkedForBackflush: random.chance(0.3),
        WorkCenterIsToBeDeleted: random.chance(0.01),
        ValidityStartDate: startOfDay(changed - random.int(30, 900) * DAY_MS),
        ValidityEndDate: Date.UTC(9999, 11, 31),
        LastChangeDate: startOfDay(changed),
      };
    },
    indexOfKey(key) {
      if (key.WorkCenterTypeCode !== 'A') return undefined;
      return numericIndex(key.WorkCenterInternalID, FIRST_ID);
    },
    create: () => [{ property: '', message: 'Work centers cannot be created through this API' }],
    validate: () => [],
    touch: (record, now) => touchDate(record, now, 'LastChangeDate'),
  };
}
