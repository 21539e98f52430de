import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { MesRestConnector, mesSyncApiProfile, type WriteItem } from '@takt/runtime';
import { createMesService, type MesService } from '@takt/erp-simulator/dist/mes';

/**
 * The MES REST connector against the simulated MES sync API over loopback: the acceptance, checked on
 * both sides of the wire (the connector's results and the MES's request log and effect counts).
 */
const API_KEY = 'ery_live_integration_canary_93d1';

interface Logged {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

async function startMes(rateLimit?: { limit: number; windowSeconds: number }) {
  const service: MesService = createMesService({
    seed: 11,
    size: 0,
    apiKey: API_KEY,
    ...(rateLimit ? { rateLimit } : {}),
  });
  const requests: Logged[] = [];
  let id = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname.slice(service.basePath.length) || '/';
      void Promise.resolve(
        service.handle({
          method: req.method ?? 'GET',
          url: new URL(path, url),
          headers: req.headers,
          body: Buffer.concat(chunks),
          id: (id += 1),
        }),
      ).then((answer) => {
        requests.push({ method: req.method ?? 'GET', path, status: answer.status });
        res.writeHead(answer.status, answer.headers as Record<string, string>);
        res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    service,
    requests,
    url: `http://127.0.0.1:${port}${service.basePath}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let connections = 0;
function connect(url: string, options: { nesting?: 'inline' | 'split' } = {}): MesRestConnector {
  return new MesRestConnector(
    mesSyncApiProfile({
      connectionId: `mes-integration-${(connections += 1)}`,
      baseUrl: url,
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
    const connector = connect(mes.url);
    try {
      const records: WriteItem[] = Array.from({ length: 2500 }, (_, i) => ({
        data: { external_id: `RES-${i}`, external_source: 'SAP', name: `Resource ${i}`, type: 'tooling' },
      }));
      const results = await connector.write('resources', records, { mode: 'upsert' });
      expect(mes.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(
        Array(3).fill('POST /api-resources/bulk-sync 200'),
      );
      expect(results).toHaveLength(2500);
      expect(results.every((r, i) => r.index === i && r.action === 'created')).toBe(true);
      expect(results[2499]?.targetId).toBe(mes.service.record('resources', 'RES-2499', 'SAP')?.id);
      expect(mes.service.counts('resources')).toEqual({ created: 2500, updated: 0, unchanged: 0 });

      const again = await connector.write('resources', records, { mode: 'upsert' });
      expect(again.every((r) => r.action === 'updated')).toBe(true);
      expect(mes.service.counts('resources')).toEqual({ created: 2500, updated: 0, unchanged: 2500 });
    } finally {
      await connector.close();
      await mes.close();
    }
  });

  test.each(['inline', 'split'] as const)(
    'nested jobs with parts and operations land parents first (%s)',
    async (nesting) => {
      const mes = await startMes();
      const connector = connect(mes.url, { nesting });
      try {
        await connector.write('cells', cells, { mode: 'upsert' });
        const results = await connector.write('jobs', [job(1), job(2)], { mode: 'upsert' });
        expect(results.map((r) => r.action)).toEqual(['created', 'created']);
        const order = mes.service.effects().filter((e) => e.entity !== 'cells');
        expect(order).toHaveLength(2 + 4 + 8);
        for (const effect of order) {
          const record = mes.service.record(effect.entity, effect.external_id, 'SAP');
          if (effect.entity === 'jobs') continue;
          const parent = order.find((e) => e.id === record?.parentId);
          expect(parent?.seq).toBeLessThan(effect.seq);
        }
        expect(mes.service.counts('operations').created).toBe(8);
      } finally {
        await connector.close();
        await mes.close();
      }
    },
  );

  test('a bad record fails alone with its index and the MES message', async () => {
    const mes = await startMes();
    const connector = connect(mes.url);
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
      expect(mes.service.record('jobs', 'SO-2', 'SAP')).toBeUndefined();
      expect(mes.service.counts('jobs').created).toBe(2);
    } finally {
      await connector.close();
      await mes.close();
    }
  });

  test('with a small rate limit the connector waits for Reset instead of drawing 429s', async () => {
    const mes = await startMes({ limit: 2, windowSeconds: 1 });
    const connector = connect(mes.url);
    try {
      const records: WriteItem[] = Array.from({ length: 5 }, (_, i) => ({
        data: { external_id: `WC-${i}`, external_source: 'SAP', name: `Cell ${i}` },
      }));
      const results = await connector.write('cells', records, { mode: 'upsert', batchSize: 1 });
      expect(results.every((r) => r.action === 'created')).toBe(true);
      expect(mes.requests).toHaveLength(5);
      expect(mes.requests.filter((r) => r.status === 429)).toEqual([]);
      expect(mes.service.counts('cells').created).toBe(5);
    } finally {
      await connector.close();
      await mes.close();
    }
  });

  test('test() reports latency, and a wrong key with an actionable message that does not hold the key', async () => {
    const mes = await startMes();
    const good = connect(mes.url);
    const bad = new MesRestConnector(
      mesSyncApiProfile({ connectionId: 'mes-integration-bad', baseUrl: mes.url, apiKey: 'ery_live_wrong_key_0000' }),
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
