import { SapConnector, compileMapping, fromPreset, listPresets, type Connector } from '@takt/runtime';
import { startSimulator } from '@takt/erp-simulator';

/**
 * The seam between two layers that are tested apart: what the SAP connector hands over (V2 envelopes unwrapped,
 * `/Date()/` already ISO 8601, decimals as strings) must be what the SAP presets map. Every preset that maps
 * inbound reads a page from the simulator through the connector and maps every record without an issue.
 */
const ENTITY_OF_SET: Readonly<Record<string, string>> = {
  A_ProductionOrder_2: 'production-orders',
  ProdnOrdConf2: 'confirmations',
  Equipment: 'equipment',
  A_WorkCenters: 'work-centers',
  MaintenanceNotification: 'maintenance-notifications',
};

describe('SAP connector output through the SAP presets', () => {
  let simulator: Awaited<ReturnType<typeof startSimulator>>;
  let sap: Connector;

  beforeAll(async () => {
    simulator = await startSimulator({ port: 0, seed: 7, size: 300, services: ['sap'] });
    sap = new SapConnector({
      id: 'presets-pipeline',
      baseUrl: simulator.url,
      client: '100',
      auth: { type: 'basic', username: 'TAKT_USER', password: 'Welcome1!' },
    });
  });

  afterAll(async () => {
    await sap.close();
    await simulator.close();
  });

  const inbound = listPresets('sap').filter((preset) => ENTITY_OF_SET[preset.entitySet] !== undefined);

  it('covers the five services', () => {
    expect(new Set(inbound.map((preset) => preset.entitySet))).toEqual(new Set(Object.keys(ENTITY_OF_SET)));
  });

  it.each(inbound.map((preset) => [preset.id, preset] as const))('%s maps every record read', async (_id, preset) => {
    const mapping = compileMapping(fromPreset(preset.id, { source: 'sap-sim-100' }), { direction: 'inbound' });
    const entity = ENTITY_OF_SET[preset.entitySet] ?? '';
    let records = 0;
    const issues: string[] = [];
    for await (const page of sap.read(entity, { pageSize: 100 })) {
      for (const result of await mapping.mapAll(page.records, { source: 'sap-sim-100' })) {
        records += 1;
        if (!result.ok) issues.push(...result.issues.map((issue) => `${issue.path}: ${issue.code} ${issue.message}`));
      }
      if (records >= 200) break;
    }
    expect(records).toBeGreaterThanOrEqual(100);
    expect([...new Set(issues)]).toEqual([]);
  });
});
