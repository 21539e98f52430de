import { TaktError } from '../../errors';
import { ODataPaging } from './odata-next-link';

const REQUEST = 'http://127.0.0.1:4004/sap/opu/odata/sap/SRV/A_ProductionOrder_2?$top=2&sap-client=100';

describe('ODataPaging (reference A.6)', () => {
  it('starts with a $top window', () => {
    expect(new ODataPaging(2).first()).toEqual({ kind: 'window', query: { $top: '2' } });
  });

  it('follows a relative next link resolved against the request URL', () => {
    const paging = new ODataPaging(2);
    const next = paging.next({ requestUrl: REQUEST, records: 2, nextLink: "A_ProductionOrder_2?$skiptoken='2'" });
    // WHATWG URL percent-encodes ' in the query of http(s) URLs; servers decode it back to the same token.
    expect(next).toEqual({
      kind: 'link',
      url: 'http://127.0.0.1:4004/sap/opu/odata/sap/SRV/A_ProductionOrder_2?$skiptoken=%272%27',
    });
  });

  it('follows an absolute link to another host name as it is (reference 0)', () => {
    const paging = new ODataPaging(2);
    const next = paging.next({ requestUrl: REQUEST, records: 2, nextLink: 'http://localhost:4004/x/Set?$skiptoken=9' });
    expect(next).toEqual({ kind: 'link', url: 'http://localhost:4004/x/Set?$skiptoken=9' });
  });

  it('fails with PAGE_LINK_REPEATED when a link or skiptoken comes back', () => {
    const paging = new ODataPaging(2);
    paging.next({ requestUrl: REQUEST, records: 2, nextLink: 'Set?$skiptoken=a' });
    expect(() => paging.next({ requestUrl: REQUEST, records: 2, nextLink: 'Set?$skiptoken=a' })).toThrow(TaktError);
    const other = new ODataPaging(2);
    other.next({ requestUrl: REQUEST, records: 2, nextLink: 'Set?$skiptoken=a&x=1' });
    expect(() => other.next({ requestUrl: REQUEST, records: 2, nextLink: 'Set?x=2&$skiptoken=a' })).toThrow(
      /sent a next link it had sent before/,
    );
  });

  it('falls back to $skip after a full window without a link, and stops after a short one', () => {
    const paging = new ODataPaging(2);
    expect(paging.next({ requestUrl: REQUEST, records: 2, firstKey: '1' })).toEqual({
      kind: 'window',
      query: { $top: '2', $skip: '2' },
    });
    expect(paging.next({ requestUrl: REQUEST, records: 1, firstKey: '3' })).toBeUndefined();
  });

  it('counts a window across the links chained from it ($top bounds the chain)', () => {
    const paging = new ODataPaging(4);
    expect(paging.next({ requestUrl: REQUEST, records: 2, nextLink: 'S?$skiptoken=1' })?.kind).toBe('link');
    expect(paging.next({ requestUrl: REQUEST, records: 2 })).toEqual({
      kind: 'window',
      query: { $top: '4', $skip: '4' },
    });
  });

  it('ends when the server ignored $top and sent more', () => {
    expect(new ODataPaging(2).next({ requestUrl: REQUEST, records: 5 })).toBeUndefined();
  });

  it('fails with PAGE_LINK_REPEATED when the server ignores $skip', () => {
    const paging = new ODataPaging(2);
    paging.next({ requestUrl: REQUEST, records: 2, firstKey: '1' });
    expect(() => paging.next({ requestUrl: REQUEST, records: 2, firstKey: '1' })).toThrow(/ignores \$skip/);
  });
});
