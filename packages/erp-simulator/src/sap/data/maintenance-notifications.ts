import type { SimRecord } from '../model/edm';
import type { DataSetDef, ValidationIssue } from '../model/entity-set';
import { USERS } from './catalog';
import { FIRST_EQUIPMENT, neverChanged } from './equipment';
import { numericIndex } from './keys';
import { indexRandom } from '../../seeded-random';
import { touchDateTimeAndParts } from './stamps';
import { baseChangeTime, startOfDay, timeOfDay } from './timeline';
import { knownValueIssue, maxLengthIssue, requiredIssues } from './validation';
import { referencedWorkCenter, workCenterCode, workCenterPlant } from './work-centers';

/**
 * Maintenance notifications (API_MAINTNOTIFICATION MaintenanceNotification, reference A.11): breakdowns and
 * maintenance requests against equipment. Delta: LastChangeDateTime (DateTimeOffset, null for never-changed
 * records) or LastChangeDate + LastChangeTime; creation via CreationDate + CreationTime.
 */
const FIRST_NOTIFICATION = 10_000_000;
const TEXTS = [
  'Spindle vibration above limit',
  'Coolant leak at pump',
  'Hydraulic pressure drop',
  'Light curtain fault',
  'Axis drive overheated',
  'Scheduled inspection',
  'Conveyor belt misaligned',
  'Tool changer jammed',
];
/** Processing phase → active system status, as NotifProcessingPhase / ConcatenatedActiveSystStsName show it. */
const PHASES = [
  ['1', 'OSNO'],
  ['2', 'NOPR ORAS'],
  ['4', 'NOCO ORAS'],
] as const;

export function maintenanceNotifications(seed: number, size: number): DataSetDef {
  return {
    name: 'MaintenanceNotifications',
    keys: ['MaintenanceNotification'],
    properties: [
      { name: 'MaintenanceNotification', kind: 'string', maxLength: 12, nullable: false, alpha: true },
      { name: 'NotificationType', kind: 'string', maxLength: 2, requiredOnCreate: true },
      { name: 'NotificationText', kind: 'string', maxLength: 40, requiredOnCreate: true },
      { name: 'MaintPriority', kind: 'string', maxLength: 1 },
      { name: 'TechnicalObject', kind: 'string', maxLength: 40 },
      { name: 'TechObjIsEquipOrFuncnlLoc', kind: 'string', maxLength: 10 },
      { name: 'MaintenancePlanningPlant', kind: 'string', maxLength: 4 },
      { name: 'MainWorkCenter', kind: 'string', maxLength: 8 },
      { name: 'MaintenanceObjectIsDown', kind: 'boolean' },
      { name: 'MalfunctionStartDate', kind: 'datetime' },
      { name: 'MalfunctionStartTime', kind: 'time' },
      { name: 'MalfunctionEndDate', kind: 'datetime' },
      { name: 'MalfunctionEndTime', kind: 'time' },
      { name: 'MaintenanceOrder', kind: 'string', maxLength: 12 },
      { name: 'NotifProcessingPhase', kind: 'string', maxLength: 1, computed: true },
      { name: 'ConcatenatedActiveSystStsName', kind: 'string', maxLength: 40, computed: true },
      { name: 'ReportedByUser', kind: 'string', maxLength: 12 },
      { name: 'CreationDate', kind: 'datetime', computed: true },
      { name: 'CreationTime', kind: 'time', computed: true },
      { name: 'LastChangeDate', kind: 'datetime', computed: true },
      { name: 'LastChangeTime', kind: 'time', computed: true },
      { name: 'LastChangeDateTime', kind: 'datetimeoffset', computed: true },
    ],
    navigations: [],
    monotone: ['MaintenanceNotification', 'LastChangeDateTime'],
    writes: { create: true, update: true },
    baseCount: () => size,
    generate(index): SimRecord {
      const random = indexRandom(seed, 'notification', index);
      const workCenter = referencedWorkCenter(random.int(0, 1_000_000));
      const changed = baseChangeTime(index, random.next());
      const created = changed - random.int(0, 72 * 60) * 60_000;
      const malfunctionStart = created - random.int(1, 120) * 60_000;
      const [phase, status] = random.pick(PHASES);
      const down = random.chance(0.35);
      const unchanged = neverChanged(index, size);
      return {
        MaintenanceNotification: String(FIRST_NOTIFICATION + index),
        NotificationType: down ? 'M2' : 'M1',
        NotificationText: random.pick(TEXTS),
        MaintPriority: String(down ? random.int(1, 2) : random.int(2, 4)),
        TechnicalObject: String(FIRST_EQUIPMENT + random.int(0, Math.max(0, size - 1))),
        TechObjIsEquipOrFuncnlLoc: 'EAMS_EQUI',
        MaintenancePlanningPlant: workCenterPlant(workCenter),
        MainWorkCenter: workCenterCode(workCenter),
        MaintenanceObjectIsDown: down,
        MalfunctionStartDate: startOfDay(malfunctionStart),
        MalfunctionStartTime: Math.floor(timeOfDay(malfunctionStart) / 1000) * 1000,
        MalfunctionEndDate: phase === '4' ? startOfDay(changed) : null,
        MalfunctionEndTime: phase === '4' ? Math.floor(timeOfDay(changed) / 1000) * 1000 : null,
        MaintenanceOrder: phase === '1' ? '' : String(4_000_000 + index),
        NotifProcessingPhase: phase,
        ConcatenatedActiveSystStsName: status,
        ReportedByUser: random.pick(USERS),
        CreationDate: startOfDay(created),
        CreationTime: Math.floor(timeOfDay(created) / 1000) * 1000,
        LastChangeDate: unchanged ? null : startOfDay(changed),
        LastChangeTime: unchanged ? null : Math.floor(timeOfDay(changed) / 1000) * 1000,
        LastChangeDateTime: unchanged ? null : changed,
      };
    },
    indexOfKey: (key) => numericIndex(key.MaintenanceNotification, FIRST_NOTIFICATION),
    create(input, context) {
      const issues = requiredIssues(this, input);
      if (issues.length > 0) return issues;
      const number = String(context.nextNumber());
      const now = context.now;
      const nowSeconds = Math.floor(now / 1000) * 1000;
      return {
        MaintPriority: '3',
        TechnicalObject: '',
        TechObjIsEquipOrFuncnlLoc: input.TechnicalObject ? 'EAMS_EQUI' : '',
        MaintenancePlanningPlant: '',
        MainWorkCenter: '',
        MaintenanceObjectIsDown: false,
        MalfunctionStartDate: null,
        MalfunctionStartTime: null,
        MalfunctionEndDate: null,
        MalfunctionEndTime: null,
        MaintenanceOrder: '',
        ReportedByUser: context.user,
        ...input,
        MaintenanceNotification: number,
        NotifProcessingPhase: '1',
        ConcatenatedActiveSystStsName: 'OSNO',
        CreationDate: startOfDay(now),
        CreationTime: timeOfDay(nowSeconds),
        LastChangeDate: startOfDay(now),
        LastChangeTime: timeOfDay(nowSeconds),
        LastChangeDateTime: nowSeconds,
      };
    },
    validate(record): ValidationIssue[] {
      const issues = [
        ...knownValueIssue(record, 'NotificationType', ['M1', 'M2', 'M3']),
        ...knownValueIssue(record, 'MaintPriority', ['1', '2', '3', '4']),
        ...maxLengthIssue(record, 'NotificationText', 40),
      ];
      const technicalObject = record.TechnicalObject;
      if (typeof technicalObject === 'string' && technicalObject !== '' && !/^\d+$/.test(technicalObject)) {
        issues.push({ property: 'TechnicalObject', message: `Equipment ${technicalObject} does not exist` });
      }
      return issues;
    },
    touch: (record, now) => touchDateTimeAndParts(record, now),
  };
}
