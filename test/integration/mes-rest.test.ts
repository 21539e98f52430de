import { MesRestConnector, mesSyncApiProfile, type WriteItem } from '@takt/runtime';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '@takt/erp-simulator';

/**
 * The MES REST connector against the simulated MES sync API over loopback: the acceptance, checked on
 * both sides of the wire (the connector's results, and the simulator's request log and effect counts).
 */
const API_KEY = 'ery_live_integration_canary_93d1';

type Mes = RunningSimulator & { readonly mes: NonNullable<RunningSimulator['mes']> };

async function startMes(mes: SimulatorOptions['mes'] = {}, faults?: SimulatorOptions['faults']): Promise<Mes> {
  const sim = await startSimulator({
    port: 0,
    services: ['mes'],
    seed: 11,
    mes: { size: 0, apiKey: API_KEY, ...mes },
    ...(faults ? { faults } : {}),
  });
  const { mes: handles } = sim;
  if (!handles) throw new Error('the simulator started without the MES');
  return { ...sim, mes: handles };
}

/** `POST /api-resources/bulk-sync 200`, the path below the MES root. */
function calls(sim: Mes): string[] {
  return sim.requests
    .list({ service: 'mes' })
    .map((r) => `${r.method} ${r.path.slice(sim.mes.basePath.length)} ${r.status}`);
}

let connections = 0;
function connect(sim: Mes, options: { nesting?: 'inline' | 'split' } = {}): MesRestConnector {
  return new MesRestConnector(
    mesSyncApiProfile({
      connectionId: `mes-integration-${(connections += 1)}`,
      baseUrl: `${sim.url}${sim.mes.basePath}`,
      apiKey: API_KEY,
      ...options,
      http: { retry: { jitter: 'none', baseDelayMs: 50 } },
    }),
  );
}

const cells = ['Cutting', 'Bending'].map((name) => ({
  data: { external_id: `WC-${name.toUpperCase()}`, external_source: 'SAP', name },
}));

function job(n: number, cell = 'Cutting'): WriteItem {
  const id = `SO-${n}`;
  return {
    data: {
      external_id: id,
      external_source: 'SAP',
      job_number: `JOB-${n}`,
      customer: 'Acme Corp',
      parts: [10, 20].map((p) => ({
        external_id: `${id}-${p}`,
        part_number: `BRACKET-${p}`,
        quantity: 25,
        operations: [
          { external_id: `${id}-${p}-010`, operation_name: 'Laser Cut', cell_name: cell, sequence: 1 },
          { external_id: `${id}-${p}-020`, operation_name: 'Bend 90°', cell_name: 'Bending', sequence: 2 },
        ],
      })),
    },
  };
}

describe('MES REST connector ↔ simulated MES sync API', () => {
  test('2,500 records go out in three bulk calls of at most 1000 and come back as 2,500 results; a re-sync creates nothing', async () => {
    const mes = await startMes();
    const connector = connect(mes);
    try {
      const records: WriteItem[] = Array.from({ length: 2500 }, (_, i) => ({
        data: { external_id: `RES-${i}`, external_source: 'SAP', name: `Resource ${i}`, type: 'tooling' },
      }));
      const results = await connector.write('resources', records, { mode: 'upsert' });
      expect(calls(mes)).toEqual(Array(3).fill('POST /api-resources/bulk-sync 200'));
      expect(results).toHaveLength(2500);
      expect(results.every((r, i) => r.index === i && r.action === 'created')).toBe(true);
      expect(results[2499]?.targetId).toBe(mes.mes.record('resources', 'RES-2499', 'SAP')?.id);
      expect(mes.mes.counts('resources')).toEqual({ created: 2500, updated: 0, unchanged: 0 });

      const again = await connector.write('resources', records, { mode: 'upsert' });
      expect(again.every((r) => r.action === 'updated')).toBe(true);
      expect(mes.mes.counts('resources')).toEqual({ created: 2500, updated: 0, unchanged: 2500 });
    } finally {
      await connector.close();
      await mes.close();
    }
  });

  test.each(['inline', 'split'] as const)(
    'nested jobs with parts and operations land parents first (%s)',
    async (nesting) => {
      const mes = await startMes();
      const connector = connect(mes, { nesting });
      try {
        await connector.write('cells', cells, { mode: 'upsert' });
        const results = await connector.write('jobs', [job(1), job(2)], { mode: 'upsert' });
        expect(results.map((r) => r.action)).toEqual(['created', 'created']);
        const order = mes.mes.effects().filter((e) => e.entity !== 'cells');
        expect(order).toHaveLength(2 + 4 + 8);
        for (const effect of order) {
          const record = mes.mes.record(effect.entity, effect.external_id, 'SAP');
          if (effect.entity === 'jobs') continue;
          const parent = order.find((e) => e.id === record?.parentId);
          expect(parent?.seq).toBeLessThan(effect.seq);
        }
        expect(mes.mes.counts('operations').created).toBe(8);
      } finally {
        await connector.close();
        await mes.close();
      }
    },
  );

  test('a bad record fails alone with its index and the MES message', async () => {
    const mes = await startMes();
    const connector = connect(mes);
    try {
      await connector.write('cells', cells, { mode: 'upsert' });
      const results = await connector.write('jobs', [job(1), job(2, 'Painting'), job(3)], { mode: 'upsert' });
      expect(results.map((r) => [r.index, r.action])).toEqual([
        [0, 'created'],
        [1, 'error'],
        [2, 'created'],
      ]);
      expect(results[1]?.error).toEqual({
        code: 'ERP_REJECTED',
        message: 'jobs SO-2 was rejected: parts[0].operations[0]: Cell not found for cell_name: Painting',
        retryable: false,
      });
      expect(mes.mes.record('jobs', 'SO-2', 'SAP')).toBeUndefined();
      expect(mes.mes.counts('jobs').created).toBe(2);
    } finally {
      await connector.close();
      await mes.close();
    }
  });

  test('with a small rate limit the connector waits for Reset instead of drawing 429s', async () => {
    const mes = await startMes({ rateLimit: { limit: 2, windowSeconds: 1 } });
    const connector = connect(mes);
    try {
      const records: WriteItem[] = Array.from({ length: 5 }, (_, i) => ({
        data: { external_id: `WC-${i}`, external_source: 'SAP', name: `Cell ${i}` },
      }));
      const started = Date.now();
      const results = await connector.write('cells', records, { mode: 'upsert', batchSize: 1 });
      // Five calls at two per one-second window: at least one whole window was waited out.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(results.every((r) => r.action === 'created')).toBe(true);
      expect(calls(mes)).toEqual(Array(5).fill('PUT /api-cells/sync 201'));
      expect(mes.mes.counts('cells').created).toBe(5);
    } finally {
      await connector.close();
      await mes.close();
    }
  });

  test('a 429 from the MES is retried after its Retry-After, and the upsert lands once', async () => {
    const mes = await startMes(
      {},
      {
        rules: [{ action: { type: 'rate-limit', retryAfterSeconds: 1 }, scope: { service: 'mes' }, count: 1 }],
      },
    );
    const connector = connect(mes);
    try {
      const started = Date.now();
      const results = await connector.write('cells', cells, { mode: 'upsert' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(results.map((r) => r.action)).toEqual(['created', 'created']);
      expect(calls(mes)).toEqual(['POST /api-cells/bulk-sync 429', 'POST /api-cells/bulk-sync 200']);
      expect(mes.mes.counts('cells')).toEqual({ created: 2, updated: 0, unchanged: 0 });
    } finally {
      await connector.close();
      await mes.close();
    }
  });

  test('test() reports latency, and a wrong key with an actionable message that does not hold the key', async () => {
    const mes = await startMes();
    const good = connect(mes);
    const bad = new MesRestConnector(
      mesSyncApiProfile({
        connectionId: 'mes-integration-bad',
        baseUrl: `${mes.url}${mes.mes.basePath}`,
        apiKey: 'ery_live_wrong_key_0000',
      }),
    );
    try {
      const ok = await good.test();
      expect(ok).toMatchObject({ ok: true, system: { rateLimitRemaining: expect.any(String) } });
      expect(ok.latencyMs).toBeGreaterThanOrEqual(0);
      const refused = await bad.test();
      expect(refused.ok).toBe(false);
      expect(refused.message).toContain('refused the credentials (401)');
      expect(JSON.stringify(refused)).not.toContain('ery_live_wrong_key_0000');
    } finally {
      await good.close();
      await bad.close();
      await mes.close();
    }
  });
});
