import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateEntity } from '../../../entities';
import { compileMapping } from '../../compile';
import type { MapRecordResult } from '../../types';
import { fromPreset } from '../registry';

/** OData V2 payloads written from the field lists of erp-protocols.md A.5 / A.11 (verbose JSON, `d.results`). */
function fixture(name: string): unknown[] {
  const payload = JSON.parse(readFileSync(join(__dirname, '__fixtures__', `${name}.json`), 'utf8')) as {
    d: { results: unknown[] };
  };
  return payload.d.results;
}

const SOURCE = 'sap-prd-100';

/** Maps a fixture inbound through a preset in a German plant, validating against the entity schema. */
async function inbound(id: string, name: string): Promise<Record<string, unknown>[]> {
  const spec = fromPreset(id, { source: SOURCE, timeZone: 'Europe/Berlin' });
  const mapping = compileMapping(spec, { direction: 'inbound', validate: validateEntity(spec.canonical) });
  return outputs(await mapping.mapAll(fixture(name)));
}

function outputs(results: readonly MapRecordResult[]): Record<string, unknown>[] {
  return results.map((result) => {
    if (!result.ok) throw new Error(`record ${result.index}: ${JSON.stringify(result.issues)}`);
    return result.output;
  });
}

describe('SAP presets, inbound', () => {
  it('production orders → work orders: decimals normalised, flags → status, plant times in Berlin', async () => {
    const [released, completed] = await inbound(
      'sap/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrder_2',
      'production-orders',
    );
    expect(released).toEqual({
      external_id: '1000123',
      external_source: SOURCE,
      order_number: '1000123',
      order_type: 'PP01',
      product_code: 'FG-PUMP-200',
      plant: '1710',
      quantity: '500',
      unit: 'PC',
      confirmed_quantity: '120',
      scrap_quantity: '5',
      status: 'in_progress',
      planned_start: '2024-05-01T04:00:00.000Z', // 06:00 CEST
      planned_end: '2024-05-03T20:00:00.000Z',
      scheduled_start: '2024-05-01T05:30:00.000Z',
      scheduled_end: '2024-05-02T12:15:30.000Z',
      production_version: '0001',
      changed_at: '2024-04-30T15:30:12.000Z', // the 14-character stamp is UTC, not plant time
    });
    // Padded key: the id loses its zeros, the order number stays as SAP wrote it; '' fields are absent.
    expect(completed).toMatchObject({ external_id: '1000124', order_number: '000001000124', status: 'completed' });
    expect(completed).not.toHaveProperty('scheduled_start');
    expect(completed).not.toHaveProperty('production_version');
    // 02:30 on 2024-03-31 does not exist in Berlin (clocks jump to 03:30 CEST).
    expect(completed).toMatchObject({
      planned_start: '2024-03-31T01:30:00.000Z',
      planned_end: '2024-03-31T21:00:00.000Z',
    });
  });

  it('confirmations → production data: composite id, quantities, execution times, idempotency UUID', async () => {
    const [partial, reversed] = await inbound('sap/API_PROD_ORDER_CONFIRMATION_2_SRV/ProdnOrdConf2', 'confirmations');
    expect(partial).toEqual({
      external_id: '4711/3',
      external_source: SOURCE,
      work_order_external_id: '1000123',
      operation_number: '0020',
      work_center: 'ASSY-01',
      good_quantity: '118',
      scrap_quantity: '2',
      rework_quantity: '0',
      unit: 'PC',
      final: false,
      posting_date: '2024-05-02',
      start: '2024-05-02T12:00:00.000Z',
      end: '2024-05-02T19:45:10.000Z',
      reversed: false,
      operator: 'MES_RFC',
      text: 'Schicht 2, Presse nachjustiert',
      idempotency_key: '5f0c6a52-8f1e-4c8e-9d6a-0b7e3f2a9c11',
    });
    expect(reversed).toMatchObject({ external_id: '4712/1', final: true, reversed: true, rework_quantity: '0.25' });
    // Empty execution dates and SAP's nil UUID mean "none".
    expect(Object.keys(reversed ?? {})).toEqual(
      expect.not.arrayContaining(['start', 'end', 'idempotency_key', 'text']),
    );
  });

  it('equipment → machines: status from booleans, unpadded parent, creation date when never changed', async () => {
    const [press, bench] = await inbound('sap/API_EQUIPMENT/Equipment', 'equipment');
    expect(press).toEqual({
      external_id: '10000042',
      external_source: SOURCE,
      name: 'Hydraulikpresse 250 t',
      type: 'PRESS',
      plant: '1710',
      work_center: 'ASSY-01',
      location: '1710-PRD-L1',
      parent_external_id: '10000040',
      serial_number: 'PR-2019-0042',
      manufacturer_serial_number: 'HX250-88121',
      status: 'active',
      valid_to: '9999-12-31',
      changed_at: '2024-06-10T12:00:00.000Z',
    });
    expect(bench).toMatchObject({ status: 'inactive', changed_at: '2019-03-01T00:00:00.000Z', name: 'Prüfstand alt' });
  });

  it('work centers: internal id as external id, human code, deletion flag → active', async () => {
    const [assembly, mixing] = await inbound('sap/API_WORK_CENTERS/A_WorkCenters', 'work-centers');
    expect(assembly).toEqual({
      external_id: '10000188',
      external_source: SOURCE,
      code: 'ASSY-01',
      plant: '1710',
      category: '0001',
      responsible: '001',
      active: true,
      valid_from: '2019-03-01',
      valid_to: '9999-12-31',
    });
    expect(mixing).toMatchObject({ code: 'MIX-02', active: false });
  });

  it('maintenance notifications → downtime: padded technical object matches the machine id, open stop', async () => {
    const [closed, open] = await inbound(
      'sap/API_MAINTNOTIFICATION/MaintenanceNotification',
      'maintenance-notifications',
    );
    expect(closed).toEqual({
      external_id: '10000520',
      external_source: SOURCE,
      machine_external_id: '10000042',
      work_center: 'MECH',
      description: 'Hydraulikdruck fällt ab',
      start: '2024-06-10T20:40:00.000Z',
      end: '2024-06-10T23:10:30.000Z', // past midnight local, still 10 June in UTC
      breakdown: true,
      changed_at: '2024-06-11T09:05:00.000Z',
    });
    expect(open).toEqual({
      external_id: '10000521',
      external_source: SOURCE,
      machine_external_id: '10000043',
      start: '2024-06-11T04:00:00.000Z',
      breakdown: false,
    });
  });

  it('accepts confirmed classic names in overrides (AUFNR)', async () => {
    const spec = fromPreset('sap/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrder_2', {
      source: SOURCE,
      fields: [{ canonical: 'order_number', erp: 'AUFNR', type: 'STRING', required: true }],
    });
    const [first] = outputs(await compileMapping(spec, { direction: 'inbound' }).mapAll(fixture('production-orders')));
    expect(first).toMatchObject({ order_number: '1000123' });
  });

  it('fails records that break the entity: a required field missing, an override to a field the entity lacks', async () => {
    const spec = fromPreset('sap/API_EQUIPMENT/Equipment', {
      source: SOURCE,
      fields: [{ canonical: 'colour', erp: 'Colour', type: 'STRING' }],
    });
    const mapping = compileMapping(spec, { direction: 'inbound', validate: validateEntity('machine') });
    const [noName, typo] = await mapping.mapAll([
      { Equipment: '10000099' },
      { Equipment: '10000099', EquipmentName: 'Band 3', Colour: 'red' },
    ]);
    expect(noName).toEqual({
      index: 0,
      ok: false,
      issues: [expect.objectContaining({ code: 'MAPPING_FIELD_REQUIRED', path: 'name' })],
    });
    expect(typo).toEqual({
      index: 1,
      ok: false,
      issues: [expect.objectContaining({ code: 'RECORD_INVALID', path: 'colour' })],
    });
  });
});

describe('SAP presets, outbound', () => {
  it('production data → a confirmation to post, with the MES UUID as ExternalSystemConfirmation', async () => {
    const mapping = compileMapping(fromPreset('sap/API_PROD_ORDER_CONFIRMATION_2_SRV/ProdnOrdConf2'), {
      direction: 'outbound',
    });
    const [posted] = outputs(
      await mapping.mapAll([
        {
          external_id: 'MES-CONF-881',
          external_source: 'mes-line-1',
          work_order_external_id: '1000123',
          operation_number: '0020',
          good_quantity: '40',
          scrap_quantity: '1.50',
          unit: 'PC',
          final: false,
          start: '2024-05-02T06:00:00.000Z',
          end: '2024-05-02T07:30:00.000Z',
          posting_date: '2024-05-02',
          idempotency_key: '2b8e7c1a-3d4f-4a5b-9c6d-7e8f90a1b2c3',
        },
      ]),
    );
    expect(posted).toEqual({
      OrderID: '1000123',
      OrderOperation: '0020',
      ConfirmationYieldQuantity: '40',
      ConfirmationScrapQuantity: '1.5',
      ConfirmationUnit: 'PC',
      IsFinalConfirmation: false,
      PostingDate: '/Date(1714608000000)/',
      ConfirmedExecutionStartDate: '/Date(1714608000000)/',
      ConfirmedExecutionStartTime: 'PT06H00M00S',
      ConfirmedExecutionEndDate: '/Date(1714608000000)/',
      ConfirmedExecutionEndTime: 'PT07H30M00S',
      ExternalSystemConfirmation: '2b8e7c1a-3d4f-4a5b-9c6d-7e8f90a1b2c3',
    });
  });

  it('downtime → a malfunction notification; an open stop writes no end, customizing defaults overridable', async () => {
    const record = {
      external_id: 'GW7-0001',
      external_source: 'gateway-7',
      machine_external_id: '10000042',
      description: 'Kein Material',
      start: '2024-06-12T23:50:00.000Z',
      end: null,
      breakdown: true,
    };
    const preset = 'sap/API_MAINTNOTIFICATION/MaintenanceNotification';
    const [notification] = outputs(
      await compileMapping(fromPreset(preset), { direction: 'outbound' }).mapAll([record]),
    );
    expect(notification).toEqual({
      TechnicalObject: '10000042',
      NotificationText: 'Kein Material',
      MalfunctionStartDate: '/Date(1718150400000)/',
      MalfunctionStartTime: 'PT23H50M00S',
      MaintenanceObjectIsDown: true,
      NotificationType: 'M2',
      TechObjIsEquipOrFuncnlLoc: 'EAMS_EQUI',
    });
    const custom = fromPreset(preset, {
      fields: [
        {
          canonical: 'notification_type',
          erp: 'NotificationType',
          constant: 'Z1',
          type: 'STRING',
          direction: 'outbound',
        },
      ],
    });
    const [overridden] = outputs(await compileMapping(custom, { direction: 'outbound' }).mapAll([record]));
    expect(overridden).toMatchObject({ NotificationType: 'Z1' });
  });
});
