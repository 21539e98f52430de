import { TaktError } from '../../errors';
import { CANONICAL_ENTITIES } from '../../entities';
import { PRESETS, fromPreset, getPreset, listPresets } from './registry';

const ORDER = 'sap/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrder_2';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return TaktError.is(error) ? error.code : 'not a TaktError';
  }
  return undefined;
}

describe('preset registry', () => {
  it('keys every preset by system/service/entitySet and maps to a known canonical entity', () => {
    expect(Object.keys(PRESETS)).toEqual([
      'sap/API_WORK_CENTERS/A_WorkCenters',
      'sap/API_EQUIPMENT/Equipment',
      ORDER,
      'sap/API_PROD_ORDER_CONFIRMATION_2_SRV/ProdnOrdConf2',
      'sap/API_MAINTNOTIFICATION/MaintenanceNotification',
      'sap/API_WORK_CENTERS/A_WorkCenters/mes-sync/cells',
      `${ORDER}/mes-sync/jobs`,
      'sap/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrderOperation_2/mes-sync/operations',
    ]);
    // Presets with a target produce that API's records, not a canonical entity (mes/mes-presets.test.ts).
    for (const preset of Object.values(PRESETS).filter((p) => p.target === undefined)) {
      expect(preset.id).toBe(`${preset.system}/${preset.service}/${preset.entitySet}`);
      expect(preset.mapping.erpEntity).toBe(preset.entitySet);
      expect(Object.keys(CANONICAL_ENTITIES)).toContain(preset.mapping.canonical);
      expect(preset.keyFields.length).toBeGreaterThan(0);
    }
  });

  it('records each delta field with its wire type (A.11)', () => {
    const delta = Object.fromEntries(listPresets('sap').map((p) => [p.entitySet, [p.deltaField, p.deltaFieldType]]));
    expect(delta).toEqual({
      A_ProductionOrder_2: ['LastChangeDateTime', 'timestamp14'],
      A_ProductionOrderOperation_2: ['LastChangeDateTime', 'timestamp14'],
      ProdnOrdConf2: ['ConfirmationEntryDate', 'datetime'],
      Equipment: ['LastChangeDateTime', 'datetimeoffset'],
      A_WorkCenters: ['LastChangeDate', 'datetime'],
      MaintenanceNotification: ['LastChangeDateTime', 'datetimeoffset'],
    });
  });

  it('uses only confirmed classic names as aliases and keeps the rest apart', () => {
    expect(getPreset(ORDER).mapping.aliases).toEqual({ AUFNR: 'ManufacturingOrder' });
    expect(getPreset(ORDER).unverifiedAliases).toMatchObject({ MATNR: 'Material', AUART: 'ManufacturingOrderType' });
    expect(getPreset('sap/API_EQUIPMENT/Equipment').mapping.aliases).toEqual({
      EQUNR: 'Equipment',
      DATBI: 'ValidityEndDate',
      EQKTX: 'EquipmentName',
      ARBPL: 'WorkCenter',
    });
    expect(getPreset('sap/API_MAINTNOTIFICATION/MaintenanceNotification').mapping.aliases).toBeUndefined();
    for (const preset of listPresets()) {
      const verified = Object.keys(preset.mapping.aliases ?? {});
      const unverified = Object.keys(preset.unverifiedAliases ?? {});
      expect(verified.filter((name) => unverified.includes(name))).toEqual([]);
    }
  });

  it('lists presets by system', () => {
    expect(listPresets('sap')).toHaveLength(8);
    expect(listPresets('dynamics')).toEqual([]);
    expect(listPresets()).toHaveLength(8);
  });

  it('refuses an unknown preset id, naming the known ones', () => {
    expect(codeOf(() => getPreset('sap/API_PRODUCTION_ORDER_SRV/A_ProductionOrder'))).toBe('MAPPING_INVALID');
    expect(() => getPreset('toString')).toThrow(ORDER);
  });
});

describe('fromPreset', () => {
  it('returns the preset mapping unchanged without overrides, as a copy', () => {
    const spec = fromPreset(ORDER);
    expect(spec).toEqual(getPreset(ORDER).mapping);
    expect(spec.fields).not.toBe(getPreset(ORDER).mapping.fields);
  });

  it('replaces a field by canonical name, adds new ones, and leaves the preset alone', () => {
    const before = JSON.stringify(getPreset(ORDER).mapping);
    const spec = fromPreset(ORDER, {
      fields: [
        { canonical: 'product_code', erp: 'MATNR', type: 'STRING', required: true },
        { canonical: 'description', erp: 'OrderLongText', type: 'STRING' },
      ],
      timeZone: 'Europe/Berlin',
      aliases: { MATNR: 'Material' },
      name: 'plant 1710 orders',
    });
    const byName = (name: string) => spec.fields?.filter((field) => field.canonical === name);
    expect(byName('product_code')).toEqual([
      { canonical: 'product_code', erp: 'MATNR', type: 'STRING', required: true },
    ]);
    expect(byName('description')).toEqual([{ canonical: 'description', erp: 'OrderLongText', type: 'STRING' }]);
    expect(spec.fields).toHaveLength((getPreset(ORDER).mapping.fields?.length ?? 0) + 1);
    expect(spec).toMatchObject({ timeZone: 'Europe/Berlin', name: 'plant 1710 orders' });
    expect(spec.aliases).toEqual({ AUFNR: 'ManufacturingOrder', MATNR: 'Material' });
    expect(JSON.stringify(getPreset(ORDER).mapping)).toBe(before);
  });

  it('replaces every preset field of a canonical name written to several ERP properties', () => {
    const id = 'sap/API_MAINTNOTIFICATION/MaintenanceNotification';
    const startFields = getPreset(id).mapping.fields?.filter((f) => f.canonical === 'start') ?? [];
    // One field since date + time pairs are native: it writes the date to MalfunctionStartDate and the time of
    // day to MalfunctionStartTime (before, two outbound-only fields wrote those halves in UTC).
    expect(startFields).toEqual([
      expect.objectContaining({ erp: 'MalfunctionStartDate', erpTime: 'MalfunctionStartTime' }),
    ]);
    const override = { canonical: 'start', expression: 'NotificationCreationDate', type: 'DATETIME' } as const;
    const spec = fromPreset(id, { fields: [override] });
    expect(spec.fields?.filter((f) => f.canonical === 'start')).toEqual([override]);
  });

  it('removes fields by canonical name and refuses names the preset lacks', () => {
    const spec = fromPreset(ORDER, { remove: ['scrap_quantity', 'sales_order'] });
    expect(spec.fields?.map((f) => f.canonical)).not.toContain('scrap_quantity');
    expect(spec.fields?.map((f) => f.canonical)).not.toContain('sales_order');
    expect(codeOf(() => fromPreset(ORDER, { remove: ['scrap_qty'] }))).toBe('MAPPING_INVALID');
    expect(() => fromPreset(ORDER, { remove: ['scrap_qty'] })).toThrow('scrap_quantity');
  });
});
