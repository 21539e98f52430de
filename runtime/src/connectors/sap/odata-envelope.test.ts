import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { TaktError } from '../../errors';
import { readCollection, readEntity, recordEtag } from './odata-envelope';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(__dirname, '__fixtures__', name), 'utf8')) as unknown;

describe('OData V2 envelope (reference A.5)', () => {
  const page = readCollection('v2', fixture('v2-production-orders-page1.json'));

  it('unwraps d.results, reads __count (a string) and __next', () => {
    expect(page.records.map((r) => r.ManufacturingOrder)).toEqual(['1000000', '1000001']);
    expect(page.count).toBe(3);
    expect(page.nextLink).toBe("A_ProductionOrder_2?$skiptoken='1000001'&sap-client=100");
  });

  it('turns /Date(ms)/ and /Date(ms+0000)/ into ISO 8601 UTC, also inside expanded navigation', () => {
    expect(page.records[0]?.MfgOrderPlannedStartDate).toBe('2017-04-13T00:00:00.000Z');
    expect(page.records[1]?.MfgOrderPlannedStartDate).toBe('2024-05-01T08:00:00.000Z');
    expect(page.records[1]?.to_ProductionOrderStatus).toEqual([
      { ManufacturingOrder: '1000001', StatusCode: 'I0002', StatusChangeDate: '2024-05-01T08:00:00.000Z' },
    ]);
  });

  it('keeps decimals, Edm.Time, flags and the 14-character timestamp as the strings SAP sent', () => {
    expect(page.records[0]).toMatchObject({
      TotalQuantity: '12.5',
      MfgOrderPlannedStartTime: 'PT15H51M04S',
      OrderIsReleased: 'X',
      LastChangeDateTime: '20200723125718',
    });
    expect(page.records[1]?.TotalQuantity).toBe('40.000');
  });

  it('keeps __metadata so the ETag travels with the record', () => {
    expect(recordEtag(page.records[0]!)).toBe(`W/"'20200723125718'"`);
  });

  it('reads a single entity and a V1-style bare array', () => {
    expect(readEntity('v2', { d: { ManufacturingOrder: '1', D: '/Date(0)/' } })).toEqual({
      ManufacturingOrder: '1',
      D: '1970-01-01T00:00:00.000Z',
    });
    expect(readCollection('v2', { d: [{ A: '1' }] }).records).toEqual([{ A: '1' }]);
  });

  it('fails with RESPONSE_INVALID on a V4 body, naming the expected shape', () => {
    expect(() => readCollection('v2', { value: [] })).toThrow(TaktError);
    expect(() => readCollection('v2', { value: [] })).toThrow(/not a collection \(\{"d": \{"results"/);
  });
});

describe('OData V4 envelope (reference A.5)', () => {
  const page = readCollection('v4', fixture('v4-production-orders-page1.json'));

  it('unwraps value, reads @odata.count (a number) and @odata.nextLink', () => {
    expect(page.records).toHaveLength(2);
    expect(page.count).toBe(3);
    expect(page.nextLink).toBe('A_ProductionOrder_2?$skiptoken=2');
  });

  it('keeps decimals as strings (IEEE754Compatible) and @odata.etag per record', () => {
    expect(page.records[1]?.TotalQuantity).toBe('12.500');
    expect(recordEtag(page.records[0]!)).toBe('W/"20240501080000"');
  });

  it('drops @odata.context from a single entity', () => {
    expect(readEntity('v4', { '@odata.context': '$metadata#X/$entity', A: 1 })).toEqual({ A: 1 });
  });

  it('reads OData 4.01 @count / @nextLink without the prefix', () => {
    const p = readCollection('v4', { value: [], '@count': '5', '@nextLink': 'X?$skiptoken=1' });
    expect(p).toEqual({ records: [], count: 5, nextLink: 'X?$skiptoken=1' });
  });
});
