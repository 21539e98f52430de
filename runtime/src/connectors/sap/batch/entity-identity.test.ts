import { etagOf, keyPredicateOf, targetIdOf } from './entity-identity';
import type { OperationResponse } from './http-message';

const response = (headers: Record<string, string>, json?: unknown): OperationResponse => ({
  status: 201,
  headers,
  text: json === undefined ? '' : JSON.stringify(json),
  json,
});

describe('keyPredicateOf', () => {
  it.each([
    ["A_ProductionOrder_2('1000005')", '1000005'],
    ["https://h/sap/opu/odata/sap/SRV/A_X('O''Neil')?$format=json", "O'Neil"],
    [
      "Equipment(Equipment='10000000',ValidityEndDate=datetime'9999-12-31T00%3A00%3A00')",
      "Equipment='10000000',ValidityEndDate=datetime'9999-12-31T00:00:00'",
    ],
    ['A_Number(42)', '42'],
    ['A_ProductionOrder_2', undefined],
    ['$1', undefined],
    ['A_X()', undefined],
  ])('%s → %s', (url, expected) => {
    expect(keyPredicateOf(url)).toBe(expected);
  });
});

describe('targetIdOf', () => {
  const post = { method: 'POST', url: 'A_X' } as const;

  it('prefers the named key fields in the returned entity (V2 and V4 bodies)', () => {
    const v2 = response({ location: "A_X('wrong')" }, { d: { Plant: '1010', Order: '7' } });
    expect(targetIdOf({ ...post, keyFields: ['Order'] }, v2)).toBe('7');
    expect(targetIdOf({ ...post, keyFields: ['Plant', 'Order'] }, response({}, { Plant: '1010', Order: 7 }))).toBe(
      "Plant='1010',Order=7",
    );
  });

  it('falls back to Location, then the entity URI, then the request URL of an update', () => {
    expect(targetIdOf({ ...post, keyFields: ['Missing'] }, response({ location: "A_X('L')" }))).toBe('L');
    expect(targetIdOf(post, response({}, { d: { __metadata: { uri: "https://h/SRV/A_X('M')" } } }))).toBe('M');
    expect(targetIdOf(post, response({}, { '@odata.id': "A_X('V4')" }))).toBe('V4');
    expect(targetIdOf({ method: 'PATCH', url: "A_X('U')" }, response({}))).toBe('U');
    expect(targetIdOf(post, response({}))).toBeUndefined();
  });
});

describe('etagOf', () => {
  it('reads the ETag header, then __metadata.etag, then @odata.etag', () => {
    expect(etagOf(response({ etag: 'W/"h"' }, { d: { __metadata: { etag: 'W/"b"' } } }))).toBe('W/"h"');
    expect(etagOf(response({}, { d: { __metadata: { etag: 'W/"b"' } } }))).toBe('W/"b"');
    expect(etagOf(response({}, { '@odata.etag': 'W/"4"' }))).toBe('W/"4"');
    expect(etagOf(response({}))).toBeUndefined();
  });
});
