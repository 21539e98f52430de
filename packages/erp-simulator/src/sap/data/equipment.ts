import type { SimRecord } from '../model/edm';
import type { DataSetDef, ValidationIssue } from '../model/entity-set';
import { PLANTS } from './catalog';
import { numericIndex } from './keys';
import { indexRandom } from '../../seeded-random';
import { baseChangeTime, DAY_MS, startOfDay } from './timeline';
import { knownValueIssue, maxLengthIssue, requiredIssues } from './validation';
import { referencedWorkCenter, workCenterCode, workCenterKind, workCenterPlant } from './work-centers';

/**
 * Equipment (API_EQUIPMENT Equipment, reference A.11): a composite key of Equipment and ValidityEndDate
 * (9999-12-31 for the current time segment), Edm.Boolean flags (CDS-based API) and LastChangeDateTime as
 * Edm.DateTimeOffset. As in the sandbox samples, never-changed records carry no LastChangeDateTime: the
 * oldest NEVER_CHANGED_SHARE of the set has it null, so a delta read must fall back to CreationDate.
 */
export const FIRST_EQUIPMENT = 10_000_000;
export const OPEN_END = Date.UTC(9999, 11, 31);
const NEVER_CHANGED_SHARE = 0.02;

export function neverChanged(index: number, size: number): boolean {
  return index < Math.floor(size * NEVER_CHANGED_SHARE);
}

export function equipment(seed: number, size: number): DataSetDef {
  return {
    name: 'Equipment',
    keys: ['Equipment', 'ValidityEndDate'],
    properties: [
      { name: 'Equipment', kind: 'string', maxLength: 18, nullable: false, alpha: true },
      { name: 'ValidityEndDate', kind: 'datetime', nullable: false },
      { name: 'ValidityStartDate', kind: 'datetime' },
      { name: 'EquipmentName', kind: 'string', maxLength: 40, requiredOnCreate: true },
      { name: 'EquipmentCategory', kind: 'string', maxLength: 1, requiredOnCreate: true },
      { name: 'TechnicalObjectType', kind: 'string', maxLength: 10 },
      { name: 'MaintenancePlant', kind: 'string', maxLength: 4 },
      { name: 'WorkCenter', kind: 'string', maxLength: 8 },
      { name: 'FunctionalLocation', kind: 'string', maxLength: 40 },
      { name: 'SuperordinateEquipment', kind: 'string', maxLength: 18 },
      { name: 'Material', kind: 'string', maxLength: 40 },
      { name: 'SerialNumber', kind: 'string', maxLength: 18 },
      { name: 'ManufacturerSerialNumber', kind: 'string', maxLength: 30 },
      { name: 'AssetManufacturerName', kind: 'string', maxLength: 30 },
      { name: 'ConstructionYear', kind: 'string', maxLength: 4 },
      { name: 'EquipmentIsMarkedForDeletion', kind: 'boolean' },
      { name: 'EquipmentIsInactive', kind: 'boolean' },
      { name: 'CreationDate', kind: 'datetime', computed: true },
      { name: 'LastChangeDateTime', kind: 'datetimeoffset', computed: true },
    ],
    navigations: [],
    monotone: ['Equipment', 'ValidityEndDate', 'LastChangeDateTime'],
    writes: { create: true, update: true },
    baseCount: () => size,
    generate(index): SimRecord {
      const random = indexRandom(seed, 'equipment', index);
      const workCenter = referencedWorkCenter(random.int(0, 1_000_000));
      const kind = workCenterKind(workCenter);
      const plant = workCenterPlant(workCenter);
      const changed = baseChangeTime(index, random.next());
      const created = startOfDay(changed - random.int(0, 700) * DAY_MS);
      const line = String(random.int(1, 12)).padStart(2, '0');
      return {
        Equipment: String(FIRST_EQUIPMENT + index),
        ValidityEndDate: OPEN_END,
        ValidityStartDate: created,
        EquipmentName: `${kind.equipmentName} ${workCenterCode(workCenter)}-${(index % 9) + 1}`,
        EquipmentCategory: 'M',
        TechnicalObjectType: kind.equipmentType,
        MaintenancePlant: plant,
        WorkCenter: workCenterCode(workCenter),
        FunctionalLocation: `${plant}-PRD-L${line}`,
        SuperordinateEquipment: '',
        Material: '',
        SerialNumber: `SN${String(random.int(100000, 999999))}`,
        ManufacturerSerialNumber: `M-${random.int(10000, 99999)}-${random.int(100, 999)}`,
        AssetManufacturerName: random.pick(['Trumpf', 'DMG Mori', 'KUKA', 'Bosch Rexroth', 'Zeiss', 'Fanuc']),
        ConstructionYear: String(2005 + random.int(0, 18)),
        EquipmentIsMarkedForDeletion: random.chance(0.01),
        EquipmentIsInactive: random.chance(0.03),
        CreationDate: created,
        LastChangeDateTime: neverChanged(index, size) ? null : changed,
      };
    },
    indexOfKey(key) {
      if (key.ValidityEndDate !== OPEN_END) return undefined;
      return numericIndex(key.Equipment, FIRST_EQUIPMENT);
    },
    create(input, context) {
      const issues = requiredIssues(this, input);
      if (issues.length > 0) return issues;
      const number = input.Equipment ?? String(context.nextNumber());
      const validityEnd = input.ValidityEndDate ?? OPEN_END;
      if (context.exists({ Equipment: number, ValidityEndDate: validityEnd })) {
        return [{ property: 'Equipment', message: `Equipment ${String(number)} already exists` }];
      }
      const now = context.now;
      return {
        ValidityStartDate: startOfDay(now),
        TechnicalObjectType: '',
        MaintenancePlant: '',
        WorkCenter: '',
        FunctionalLocation: '',
        SuperordinateEquipment: '',
        Material: '',
        SerialNumber: '',
        ManufacturerSerialNumber: '',
        AssetManufacturerName: '',
        ConstructionYear: '',
        EquipmentIsMarkedForDeletion: false,
        EquipmentIsInactive: false,
        ...input,
        Equipment: number,
        ValidityEndDate: validityEnd,
        CreationDate: startOfDay(now),
        LastChangeDateTime: Math.floor(now / 1000) * 1000,
      };
    },
    validate(record): ValidationIssue[] {
      return [
        ...knownValueIssue(record, 'EquipmentCategory', ['M', 'P', 'Q', 'S']),
        ...knownValueIssue(record, 'MaintenancePlant', PLANTS),
        ...maxLengthIssue(record, 'EquipmentName', 40),
      ];
    },
    touch: (record, now) => ({ ...record, LastChangeDateTime: Math.floor(now / 1000) * 1000 }),
  };
}
