/**
 * The small, fixed world the generated records refer to: plants, materials, work center kinds. Kept short so
 * references between data sets (an operation's work center, a notification's equipment) stay consistent.
 */
export interface MaterialInfo {
  readonly material: string;
  readonly unit: 'PC' | 'KG' | 'M';
  readonly description: string;
}

export const PLANTS = ['1010', '1710', '2010'] as const;

export const MATERIALS: readonly MaterialInfo[] = [
  { material: 'FG-GEARBOX-100', unit: 'PC', description: 'Gearbox GB-100' },
  { material: 'FG-GEARBOX-200', unit: 'PC', description: 'Gearbox GB-200' },
  { material: 'FG-PUMP-HOUSING', unit: 'PC', description: 'Pump housing, cast' },
  { material: 'FG-VALVE-DN50', unit: 'PC', description: 'Ball valve DN50' },
  { material: 'FG-SHAFT-40', unit: 'PC', description: 'Drive shaft 40 mm' },
  { material: 'SF-BRACKET-A', unit: 'PC', description: 'Mounting bracket A' },
  { material: 'SF-FLANGE-80', unit: 'PC', description: 'Flange 80 mm' },
  { material: 'SF-COMPOUND-7', unit: 'KG', description: 'Sealing compound 7' },
  { material: 'SF-GRANULATE-PA6', unit: 'KG', description: 'PA6 granulate, dried' },
  { material: 'SF-CABLE-3G15', unit: 'M', description: 'Cable 3G1.5, cut' },
];

export interface WorkCenterKind {
  readonly prefix: string;
  readonly description: string;
  readonly operationText: string;
  readonly equipmentType: string;
  readonly equipmentName: string;
}

export const WORK_CENTER_KINDS: readonly WorkCenterKind[] = [
  {
    prefix: 'CU',
    description: 'Laser cutting',
    operationText: 'Cut blanks',
    equipmentType: 'LASER',
    equipmentName: 'Fiber laser',
  },
  {
    prefix: 'MI',
    description: 'CNC milling',
    operationText: 'Mill housing',
    equipmentType: 'CNC',
    equipmentName: '5-axis mill',
  },
  {
    prefix: 'TU',
    description: 'CNC turning',
    operationText: 'Turn shaft',
    equipmentType: 'CNC',
    equipmentName: 'Lathe',
  },
  {
    prefix: 'WE',
    description: 'Robot welding',
    operationText: 'Weld frame',
    equipmentType: 'ROBOT',
    equipmentName: 'Welding robot',
  },
  {
    prefix: 'AS',
    description: 'Assembly line',
    operationText: 'Assemble',
    equipmentType: 'LINE',
    equipmentName: 'Assembly station',
  },
  {
    prefix: 'PA',
    description: 'Paint shop',
    operationText: 'Paint and cure',
    equipmentType: 'OVEN',
    equipmentName: 'Curing oven',
  },
  {
    prefix: 'QI',
    description: 'Quality inspection',
    operationText: 'Inspect',
    equipmentType: 'CMM',
    equipmentName: 'Coordinate measuring machine',
  },
  {
    prefix: 'PK',
    description: 'Packing',
    operationText: 'Pack',
    equipmentType: 'PACK',
    equipmentName: 'Packing machine',
  },
];

/** How many work centers other records refer to: a factory has dozens, not a million. */
export const REFERENCED_WORK_CENTERS = 48;

export const USERS = ['PLANNER01', 'PLANNER02', 'SHIFTLEAD1', 'MAINT_TECH', 'CC_MES_IN'] as const;

export function formatQuantity(value: number, unit: MaterialInfo['unit']): string {
  return unit === 'PC' ? String(Math.round(value)) : value.toFixed(3);
}
