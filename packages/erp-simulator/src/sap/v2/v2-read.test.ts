import type { RunningSimulator } from '../../simulator';
import { BASIC, getJson, PO_ROOT, sapSimulator } from '../../testing/wire';

/** Documented V2 read behaviour (reference A.1, A.5, A.6, A.7, A.10, A.11), checked with plain fetch. */
type V2Entity = Record<string, unknown> & { __metadata: { uri: string; type: string; etag: string } };
interface V2Collection {
  d: { results: V2Entity[]; __count?: string; __next?: string };
}
interface V2Error {
  error: {
    code: string;
    message: { lang: string; value: string };
    innererror: { errordetails: unknown[]; transactionid: string };
  };
}

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await sapSimulator({ size: 1000, seed: 7 });
});
afterAll(() => sim.close());

const po = (path: string): string => `${sim.url}${PO_ROOT}${path}`;

describe('service document and $metadata', () => {
  it('answers the service document as AtomPub XML by default and as {d:{EntitySets}} in JSON', async () => {
    const xml = await fetch(po('/'), { headers: { authorization: BASIC } });
    expect(xml.headers.get('content-type')).toMatch(/application\/atomsvc\+xml/);
    expect(await xml.text()).toContain('<app:collection href="A_ProductionOrder_2">');
    const json = await getJson<{ d: { EntitySets: string[] } }>(po('/?$format=json'));
    expect(json.body.d.EntitySets).toEqual(['A_ProductionOrder_2', 'A_ProductionOrderOperation_2']);
  });

  it('names entity types, keys and the delta property types in $metadata', async () => {
    const response = await fetch(po('/$metadata'), { headers: { authorization: BASIC } });
    const text = await response.text();
    expect(response.headers.get('content-type')).toBe('application/xml');
    expect(text).toContain('<EntityType Name="A_ProductionOrder_2Type"');
    expect(text).toContain('<Key><PropertyRef Name="ManufacturingOrder"/></Key>');
    expect(text).toContain('<Property Name="LastChangeDateTime" Type="Edm.String" MaxLength="14"');
    expect(text).toContain('<Property Name="OrderIsReleased" Type="Edm.String" MaxLength="1"');
    const equipment = await (
      await fetch(`${sim.url}/sap/opu/odata/sap/API_EQUIPMENT/$metadata`, { headers: { authorization: BASIC } })
    ).text();
    expect(equipment).toContain('<Schema Namespace="cds_api_equipment"');
    expect(equipment).toContain('<Key><PropertyRef Name="Equipment"/><PropertyRef Name="ValidityEndDate"/></Key>');
    expect(equipment).toContain('<Property Name="LastChangeDateTime" Type="Edm.DateTimeOffset"');
  });
});

describe('collections', () => {
  it('wraps results in d.results with __metadata, V2 encodings and a string __count', async () => {
    const { status, body } = await getJson<V2Collection>(po('/A_ProductionOrder_2?$top=3&$inlinecount=allpages'));
    expect(status).toBe(200);
    expect(body.d.__count).toBe('1000');
    expect(body.d.results).toHaveLength(3);
    const first = body.d.results[0]!;
    expect(first.ManufacturingOrder).toBe('1000000');
    expect(first.__metadata.type).toBe('API_PRODUCTION_ORDER_2_SRV.A_ProductionOrder_2Type');
    expect(first.__metadata.uri).toBe(po("/A_ProductionOrder_2('1000000')"));
    expect(first.__metadata.etag).toMatch(/^W\/".+"$/);
    expect(first.LastChangeDateTime).toMatch(/^\d{14}$/);
    expect(first.MfgOrderPlannedStartDate).toMatch(/^\/Date\(\d+\)\/$/);
    expect(first.MfgOrderPlannedStartTime).toMatch(/^PT\d{2}H\d{2}M\d{2}S$/);
    expect(typeof first.TotalQuantity).toBe('string');
    expect(['X', '']).toContain(first.OrderIsReleased);
    expect(first.to_ProductionOrderOperation).toEqual({
      __deferred: { uri: po("/A_ProductionOrder_2('1000000')/to_ProductionOrderOperation") },
    });
    expect(body.d.__next).toBeUndefined();
  });

  it('is deterministic per seed', async () => {
    const a = await getJson<V2Collection>(po("/A_ProductionOrder_2('1000123')"));
    const other = await sapSimulator({ seed: 7, size: 1000 });
    try {
      const b = await getJson(`${other.url}${PO_ROOT}/A_ProductionOrder_2('1000123')`);
      expect(b.body).toEqual(JSON.parse(JSON.stringify(a.body).replaceAll(sim.url, other.url)));
    } finally {
      await other.close();
    }
  });

  it('honours $select, keeping __metadata', async () => {
    const { body } = await getJson<V2Collection>(po('/A_ProductionOrder_2?$top=1&$select=ManufacturingOrder,Material'));
    expect(Object.keys(body.d.results[0]!).sort()).toEqual(['ManufacturingOrder', 'Material', '__metadata']);
  });

  it('sorts by $orderby desc on the key', async () => {
    const { body } = await getJson<V2Collection>(po('/A_ProductionOrder_2?$top=2&$orderby=ManufacturingOrder desc'));
    expect(body.d.results.map((r) => r.ManufacturingOrder)).toEqual(['1000999', '1000998']);
  });

  it('sorts by a non-monotone property too', async () => {
    const { body } = await getJson<V2Collection>(po('/A_ProductionOrder_2?$top=50&$orderby=Material'));
    const materials = body.d.results.map((r) => String(r.Material));
    expect(materials).toEqual([...materials].sort());
  });

  it('answers /$count as text/plain, with $filter applied', async () => {
    const all = await fetch(po('/A_ProductionOrder_2/$count'), { headers: { authorization: BASIC } });
    expect(all.headers.get('content-type')).toBe('text/plain');
    expect(await all.text()).toBe('1000');
    const some = await fetch(po("/A_ProductionOrder_2/$count?$filter=ManufacturingOrder lt '1000010'"), {
      headers: { authorization: BASIC },
    });
    expect(await some.text()).toBe('10');
  });

  it('follows a navigation to the order operations', async () => {
    const { body } = await getJson<V2Collection>(po("/A_ProductionOrder_2('1000005')/to_ProductionOrderOperation"));
    expect(body.d.results.map((r) => r.ManufacturingOrderOperation)).toEqual(['0010', '0020', '0030', '0040']);
    expect(body.d.results.every((r) => r.ManufacturingOrder === '1000005')).toBe(true);
  });

  it('insists on JSON being asked for (Gateway would answer Atom)', async () => {
    const response = await fetch(po('/A_ProductionOrder_2?$top=1'), { headers: { authorization: BASIC } });
    expect(response.status).toBe(406);
    const ok = await fetch(po('/A_ProductionOrder_2?$top=1&$format=json'), { headers: { authorization: BASIC } });
    expect(ok.status).toBe(200);
  });

  it('rejects $inlinecount values other than allpages and none', async () => {
    expect((await getJson(po('/A_ProductionOrder_2?$inlinecount=some'))).status).toBe(400);
    const none = await getJson<V2Collection>(po('/A_ProductionOrder_2?$top=1&$inlinecount=none'));
    expect(none.body.d.__count).toBeUndefined();
  });
});

describe('$filter literals (reference A.7)', () => {
  const filterCount = async (root: string, set: string, filter: string): Promise<number> => {
    const { status, body } = await getJson<V2Collection>(
      `${sim.url}${root}/${set}?$top=0&$inlinecount=allpages&$filter=${encodeURIComponent(filter)}`,
    );
    expect(status).toBe(200);
    return Number(body.d.__count);
  };

  it('compares the 14-character string stamp with a string literal', async () => {
    const { body } = await getJson<V2Collection>(po("/A_ProductionOrder_2('1000500')"));
    const stamp = String((body.d as unknown as V2Entity).LastChangeDateTime);
    expect(await filterCount(PO_ROOT, 'A_ProductionOrder_2', `LastChangeDateTime ge '${stamp}'`)).toBe(500);
    expect(await filterCount(PO_ROOT, 'A_ProductionOrder_2', `LastChangeDateTime gt '${stamp}'`)).toBe(499);
  });

  it('takes datetimeoffset and datetime literals on a DateTimeOffset property', async () => {
    const root = '/sap/opu/odata/sap/API_EQUIPMENT';
    const offset = await filterCount(root, 'Equipment', "LastChangeDateTime ge datetimeoffset'2024-01-01T10:00:00Z'");
    const plain = await filterCount(root, 'Equipment', "LastChangeDateTime ge datetime'2024-01-01T10:00:00'");
    expect(offset).toBe(plain);
    // One record a minute from 2024-01-01T00:00Z: records 600..999 changed at or after 10:00.
    expect(offset).toBe(400);
  });

  it('combines and, or, not and parentheses', async () => {
    const count = await filterCount(
      PO_ROOT,
      'A_ProductionOrder_2',
      "(ManufacturingOrder ge '1000100' and ManufacturingOrder lt '1000200') and not (ProductionPlant eq '1010' or ProductionPlant eq '1710')",
    );
    const plant2010 = await filterCount(
      PO_ROOT,
      'A_ProductionOrder_2',
      "ManufacturingOrder ge '1000100' and ManufacturingOrder lt '1000200' and ProductionPlant eq '2010'",
    );
    expect(count).toBe(plant2010);
    expect(count).toBeGreaterThan(0);
  });

  it('compares ABAP flags with "X" and \'\'', async () => {
    const released = await filterCount(PO_ROOT, 'A_ProductionOrder_2', "OrderIsReleased eq 'X'");
    const notReleased = await filterCount(PO_ROOT, 'A_ProductionOrder_2', "OrderIsReleased eq ''");
    expect(released + notReleased).toBe(1000);
  });

  it('answers a V4 bare literal, a type mismatch and an unknown property with a V2 error body', async () => {
    for (const filter of ['LastChangeDateTime gt 2024-05-01T00:00:00Z', "TotalQuantity gt '5'", "Nope eq 'x'"]) {
      const { status, body } = await getJson<V2Error>(po(`/A_ProductionOrder_2?$filter=${encodeURIComponent(filter)}`));
      expect(status).toBe(400);
      expect(body.error.message.lang).toBe('en');
      expect(body.error.message.value).toEqual(expect.any(String));
      expect(body.error.innererror.transactionid).toMatch(/^[0-9A-F]{32}$/);
    }
  });

  it('takes decimal literals with the M suffix', async () => {
    const big = await filterCount(PO_ROOT, 'A_ProductionOrder_2', 'TotalQuantity gt 250M');
    const small = await filterCount(PO_ROOT, 'A_ProductionOrder_2', 'TotalQuantity le 250M');
    expect(big + small).toBe(1000);
  });
});

describe('single entities', () => {
  it('returns d without results, with the ETag header equal to __metadata.etag', async () => {
    const { status, body, headers } = await getJson<{ d: V2Entity }>(po("/A_ProductionOrder_2('1000042')"));
    expect(status).toBe(200);
    expect(body.d.ManufacturingOrder).toBe('1000042');
    expect(headers.get('etag')).toBe(body.d.__metadata.etag);
  });

  it('accepts keys with leading zeros (conversion exit) and answers without them', async () => {
    const { body } = await getJson<{ d: V2Entity }>(po("/A_ProductionOrder_2('000001000042')"));
    expect(body.d.ManufacturingOrder).toBe('1000042');
  });

  it('reads equipment by its composite key with a datetime literal', async () => {
    const url = `${sim.url}/sap/opu/odata/sap/API_EQUIPMENT/Equipment(Equipment='10000007',ValidityEndDate=datetime'9999-12-31T00%3A00%3A00')`;
    const { status, body } = await getJson<{ d: V2Entity }>(url);
    expect(status).toBe(200);
    expect(body.d.Equipment).toBe('10000007');
    expect(body.d.ValidityEndDate).toBe('/Date(253402214400000)/');
    expect(typeof body.d.EquipmentIsInactive).toBe('boolean');
  });

  it('answers 404 with the V2 error body for a missing key', async () => {
    const { status, body } = await getJson<V2Error>(po("/A_ProductionOrder_2('9999999')"));
    expect(status).toBe(404);
    expect(body.error.code).toMatch(/^TAKT_SIM\//);
    expect(body.error.message.value).toContain('A_ProductionOrder_2');
  });

  it('accepts the ;v=0001 service version suffix', async () => {
    const { status } = await getJson(`${sim.url}${PO_ROOT};v=0001/A_ProductionOrder_2('1000000')`);
    expect(status).toBe(200);
  });
});
