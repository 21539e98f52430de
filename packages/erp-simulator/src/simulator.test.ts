import { startSimulator } from './simulator';
import { BASIC, PO_ROOT } from './testing/wire';

/** Both services on one server; the handles the CLI and tests rely on. */
it('mounts SAP and the MES by default and reports both in health', async () => {
  const sim = await startSimulator({ size: 50 });
  try {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = (await (await fetch(`${sim.url}/__sim/health`)).json()) as { services: string[] };
    expect(health.services).toEqual(['sap', 'mes']);
    expect(sim.mes?.basePath).toBe('/mes/api/v1');
    const sap = await fetch(`${sim.url}${PO_ROOT}/A_ProductionOrder_2/$count`, { headers: { authorization: BASIC } });
    expect(await sap.text()).toBe('50');
    expect(sim.requests.list().map((e) => e.service)).toEqual(['sap']);
    const nothing = await fetch(`${sim.url}/nowhere`);
    expect(nothing.status).toBe(404);
  } finally {
    await sim.close();
  }
});

it('starts a million-record SAP simulator without generating the data', async () => {
  const started = Date.now();
  const sim = await startSimulator({ size: 1_000_000, services: ['sap'] });
  try {
    expect(Date.now() - started).toBeLessThan(2000);
    const last = await fetch(`${sim.url}${PO_ROOT}/A_ProductionOrder_2('1999999')?$format=json`, {
      headers: { authorization: BASIC },
    });
    expect(last.status).toBe(200);
    const count = await fetch(`${sim.url}${PO_ROOT}/A_ProductionOrder_2/$count`, { headers: { authorization: BASIC } });
    expect(await count.text()).toBe('1000000');
  } finally {
    await sim.close();
  }
});

it('refuses sizes beyond a million', async () => {
  await expect(startSimulator({ size: 1_000_001 })).rejects.toThrow(RangeError);
});
