import { TaktError } from '../../errors';
import { encodeV2Values, mayCarryDates, type WireDateType } from './v2-wire-values';

const DATES = new Map<string, WireDateType>([
  ['ValidityStartDate', 'Edm.DateTime'],
  ['LastChangeDateTime', 'Edm.DateTimeOffset'],
  ['StartTime', 'Edm.Time'],
]);

function failure(data: Record<string, unknown>): TaktError {
  try {
    encodeV2Values(data, DATES);
  } catch (error) {
    if (TaktError.is(error)) return error;
    throw error;
  }
  throw new Error('expected RECORD_INVALID');
}

describe('encodeV2Values', () => {
  it('writes ISO instants as /Date(ms)/ for Edm.DateTime and /Date(ms+0000)/ for Edm.DateTimeOffset', () => {
    expect(
      encodeV2Values(
        { ValidityStartDate: '2024-05-01T08:30:00.000Z', LastChangeDateTime: '2024-05-01T10:30:00+02:00' },
        DATES,
      ),
    ).toEqual({ ValidityStartDate: '/Date(1714552200000)/', LastChangeDateTime: '/Date(1714552200000+0000)/' });
  });

  it('reads a date, or a date-time without zone, as UTC (how SAP stores Edm.DateTime)', () => {
    expect(encodeV2Values({ ValidityStartDate: '2024-05-01' }, DATES)).toEqual({
      ValidityStartDate: '/Date(1714521600000)/',
    });
    expect(encodeV2Values({ ValidityStartDate: '2024-05-01T08:30:00' }, DATES)).toEqual({
      ValidityStartDate: '/Date(1714552200000)/',
    });
  });

  it('leaves values already in wire form, null, non-strings and other properties as they are', () => {
    const data = {
      ValidityStartDate: '/Date(1714552200000)/',
      LastChangeDateTime: '/Date(1714552200000+0120)/',
      StartTime: 'PT08H30M00S',
      Description: '2024-05-01',
      EndDate: null,
      Count: 3,
    };
    expect(encodeV2Values(data, DATES)).toEqual(data);
    expect(encodeV2Values({ ValidityStartDate: null, StartTime: 5 }, DATES)).toEqual({
      ValidityStartDate: null,
      StartTime: 5,
    });
  });

  it('writes clock times as XML durations for Edm.Time', () => {
    expect(encodeV2Values({ StartTime: '08:30' }, DATES)).toEqual({ StartTime: 'PT08H30M00S' });
    expect(encodeV2Values({ StartTime: '8:05:09' }, DATES)).toEqual({ StartTime: 'PT08H05M09S' });
    expect(encodeV2Values({ StartTime: '23:59:59.000' }, DATES)).toEqual({ StartTime: 'PT23H59M59S' });
    expect(encodeV2Values({ StartTime: '23:59:59.5' }, DATES)).toEqual({ StartTime: 'PT23H59M59.5S' });
  });

  it('leaves out navigation links read as __deferred, and keeps expanded or bound navigation values', () => {
    const deferred = { __deferred: { uri: "https://s4/sap/opu/odata/sap/SRV/A_ProductionOrder_2('1')/to_Ops" } };
    expect(encodeV2Values({ ManufacturingOrder: '1', to_Ops: deferred, to_Items: [{ Item: '1' }] }, undefined)).toEqual(
      { ManufacturingOrder: '1', to_Items: [{ Item: '1' }] },
    );
  });

  it('does not change the data it was given', () => {
    const data = { ValidityStartDate: '2024-05-01' };
    encodeV2Values(data, DATES);
    expect(data).toEqual({ ValidityStartDate: '2024-05-01' });
  });

  it.each([
    [{ ValidityStartDate: '2024-02-30' }, 'ValidityStartDate', 'Edm.DateTime'],
    [{ ValidityStartDate: 'tomorrow' }, 'ValidityStartDate', 'Edm.DateTime'],
    [{ ValidityStartDate: '' }, 'ValidityStartDate', 'Edm.DateTime'],
    [{ LastChangeDateTime: '/Date(abc)/' }, 'LastChangeDateTime', 'Edm.DateTimeOffset'],
    [{ StartTime: '24:00' }, 'StartTime', 'Edm.Time'],
    [{ StartTime: 'PT' }, 'StartTime', 'Edm.Time'],
    [{ StartTime: '2024-05-01T08:30:00Z' }, 'StartTime', 'Edm.Time'],
  ])('refuses %j with RECORD_INVALID naming %s', (data, property, type) => {
    const error = failure(data);
    expect(error.code).toBe('RECORD_INVALID');
    expect(error.kind).toBe('data');
    expect(error.message).toContain(`${property} is an ${type} property`);
    expect(error.details).toEqual({ property, type });
  });
});

describe('mayCarryDates', () => {
  it('is true only for ISO dates and clock times outside __metadata', () => {
    expect(mayCarryDates([{ data: { Material: 'FG1' } }, { data: { Start: '2024-05-01' } }])).toBe(true);
    expect(mayCarryDates([{ data: { Start: '08:30' } }])).toBe(true);
    expect(mayCarryDates([{ data: { Start: '/Date(1714552200000)/', Stamp: '20240501083000', Qty: 3 } }])).toBe(false);
    expect(mayCarryDates([{ data: { __metadata: '2024-05-01' } }])).toBe(false);
    expect(mayCarryDates([])).toBe(false);
  });
});
