import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { OAUTH_TOKEN_PATH, SAP_DEFAULTS, startSimulator, type RunningSimulator } from '@takt/erp-simulator';
import { SapConnector, type SapConnectorOptions, type WriteItem } from '@takt/runtime';

/**
 * The SAP connector against the ERP simulator over loopback: the acceptance of the SAP connector issue.
 * The simulator follows reference erp-protocols.md A; where it would deviate, the test reports it rather
 * than bending the connector.
 */

const V4_PRODUCTION_ORDERS = '/sap/opu/odata4/sap/api_production_order_2/srvd_a2x/sap/productionorder/0001';
const FIRST_ORDER = 1_000_000;
const MiB = 1024 * 1024;

/**
 * A full collection on demand, so the heap is measured as what is still referenced (retained) rather than
 * as garbage V8 has not collected yet, which depends on GC timing and not on the connector.
 */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

let sequence = 0;
function connect(url: string, extra: Partial<SapConnectorOptions> = {}): SapConnector {
  sequence += 1;
  const [user] = SAP_DEFAULTS.users;
  return new SapConnector({
    id: `sap-integration-${process.pid}-${sequence}`,
    baseUrl: url,
    client: SAP_DEFAULTS.client,
    language: 'EN',
    auth: { type: 'basic', username: user.user, password: user.password },
    proxy: 'none',
    retry: { baseDelayMs: 50, maxDelayMs: 5_000 },
    ...extra,
  });
}

/**
 * A simulator in a child process, so the heap measured in this process is the connector's alone and not
 * the simulator's data.
 */
async function simulatorProcess(size: number): Promise<{ url: string; stop(): Promise<void> }> {
  const script = `
    const { startSimulator } = require('@takt/erp-simulator');
    startSimulator({ port: 0, seed: 11, size: Number(process.argv[1]), services: ['sap'] }).then((sim) => {
      process.stdout.write(sim.url + '\\n');
      process.stdin.on('end', () => sim.close().then(() => process.exit(0)));
      process.stdin.resume();
    });`;
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['-e', script, String(size)], {
    cwd: __dirname,
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited with ${String(code)}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

interface ReadFigures {
  readonly records: number;
  readonly pages: number;
  /** Largest heap still referenced after a full GC, measured with a page in hand, over the baseline. */
  readonly peakRetainedBytes: number;
  /** Largest heap seen without forcing a GC (garbage included), over the baseline. */
  readonly peakRawBytes: number;
  readonly pageBytes: number;
}

/** Reads every production order, checking each key exactly once with a bitmap (a Set would skew the heap). */
async function readAllOrders(url: string, size: number, pageSize: number): Promise<ReadFigures> {
  const seen = new Uint8Array(size);
  const sap = connect(url, { pageSize });
  let records = 0;
  let pages = 0;
  let pageBytes = 0;
  collectGarbage();
  const baseline = process.memoryUsage().heapUsed;
  let peakRetained = 0;
  let peakRaw = 0;
  try {
    for await (const page of sap.read('production-orders')) {
      pages += 1;
      peakRaw = Math.max(peakRaw, process.memoryUsage().heapUsed - baseline);
      for (const record of page.records) {
        const index = Number(record.ManufacturingOrder) - FIRST_ORDER;
        if (!(index >= 0 && index < size) || seen[index] === 1) {
          throw new Error(`order ${String(record.ManufacturingOrder)} read twice or unknown`);
        }
        seen[index] = 1;
        records += 1;
      }
      if (pages === 1) pageBytes = JSON.stringify(page.records).length;
      // Every 5th page (a GC per page would dominate the run); `page` is still referenced here.
      if (pages % 5 === 1) {
        collectGarbage();
        peakRetained = Math.max(peakRetained, process.memoryUsage().heapUsed - baseline);
      }
    }
  } finally {
    await sap.close();
  }
  expect(seen.every((flag) => flag === 1)).toBe(true);
  return { records, pages, peakRetainedBytes: peakRetained, peakRawBytes: peakRaw, pageBytes };
}

describe('SAP connector against the ERP simulator', () => {
  describe('paging large sets with bounded memory', () => {
    const figures = new Map<number, ReadFigures>();

    it.each([10_000, 100_000])(
      'reads %i production orders exactly once, one page in memory at a time',
      async (size) => {
        const sim = await simulatorProcess(size);
        try {
          const result = await readAllOrders(sim.url, size, 1000);
          figures.set(size, result);
          const mib = (bytes: number): string => (bytes / MiB).toFixed(1);
          process.stdout.write(
            `SAP read ${size} records in ${result.pages} pages of 1000: peak retained heap +${mib(result.peakRetainedBytes)} MiB, ` +
              `peak heap without forced GC +${mib(result.peakRawBytes)} MiB (one page ≈ ${mib(result.pageBytes)} MiB as JSON)\n`,
          );
          expect(result.records).toBe(size);
          expect(result.pages).toBe(size / 1000);
          // Generous, relative to one page: the page in hand and the next response, nothing proportional to the set.
          expect(result.peakRetainedBytes).toBeLessThan(Math.max(16 * MiB, 10 * result.pageBytes));
        } finally {
          await sim.stop();
        }
      },
      180_000,
    );

    it('does not grow the peak heap with the size of the set (10k vs 100k)', () => {
      const small = figures.get(10_000);
      const large = figures.get(100_000);
      expect(small && large).toBeTruthy();
      // 10× the records; retaining them would add about 90 pages' worth of heap.
      expect(large!.peakRetainedBytes).toBeLessThan(small!.peakRetainedBytes + 8 * large!.pageBytes);
    });
  });

  describe('in-process simulator', () => {
    let sim: RunningSimulator;
    beforeEach(async () => {
      sim = await startSimulator({ port: 0, seed: 5, size: 2_000, services: ['sap'] });
    });
    afterEach(() => sim.close());

    /** A valid create payload, built from an existing order's master data. */
    async function orderTemplate(sap: SapConnector): Promise<Record<string, string>> {
      for await (const page of sap.read('production-orders', { pageSize: 1 })) {
        const [first] = page.records;
        if (first) {
          return {
            ManufacturingOrderType: String(first.ManufacturingOrderType),
            Material: String(first.Material),
            ProductionPlant: String(first.ProductionPlant),
            TotalQuantity: '10',
          };
        }
        break;
      }
      throw new Error('the simulator has no production orders');
    }

    it('recovers from a CSRF expiry in the middle of a write run with one refetch', async () => {
      const sap = connect(sim.url);
      const template = await orderTemplate(sap);
      const records: WriteItem[] = Array.from({ length: 20 }, () => ({ data: template }));
      // Each create takes a little while, so the expiry lands in the middle of the run.
      sim.faults.set({ rules: [{ action: { type: 'latency', ms: 20 }, scope: { method: 'POST' } }] });
      const run = sap.write('production-orders', records, { mode: 'create' });
      while (sim.requests.list({ method: 'POST' }).length < 8) await new Promise((r) => setTimeout(r, 5));
      expect(sim.sap!.expireCsrfTokens()).toBeGreaterThan(0);
      const results = await run;
      await sap.close();

      expect(results.map((r) => r.action)).toEqual(records.map(() => 'created'));
      const fetches = sim.requests.list({ method: 'GET' }).filter((e) => e.headers['x-csrf-token'] === 'Fetch');
      const rejected = sim.requests.list({ method: 'POST' }).filter((e) => e.status === 403);
      expect(fetches).toHaveLength(2);
      expect(rejected).toHaveLength(1);
      expect(sim.requests.list({ method: 'POST' })).toHaveLength(21);
      for (const entry of sim.requests.list()) expect(entry.query['sap-client']).toBe(SAP_DEFAULTS.client);
    });

    it('honours a 429 Retry-After before the next attempt', async () => {
      sim.faults.set({
        rules: [{ action: { type: 'rate-limit', retryAfterSeconds: 1 }, scope: { method: 'GET' }, count: 1 }],
      });
      const sap = connect(sim.url);
      const pages: number[] = [];
      for await (const page of sap.read('production-orders', { pageSize: 500 })) pages.push(page.records.length);
      await sap.close();
      expect(pages).toEqual([500, 500, 500, 500]);
      const [limited, retried] = sim.requests.list({ method: 'GET' });
      expect(limited?.status).toBe(429);
      expect(retried?.status).toBe(200);
      const gap = Date.parse(retried!.time) - Date.parse(limited!.time);
      expect(gap).toBeGreaterThanOrEqual(1_000 - 5);
    });

    it('refreshes an expired OAuth token once and goes on', async () => {
      const [client] = SAP_DEFAULTS.oauthClients;
      const sap = connect(sim.url, {
        auth: {
          type: 'oauth2-client-credentials',
          tokenUrl: `${sim.url}${OAUTH_TOKEN_PATH}`,
          clientId: client.clientId,
          clientSecret: client.clientSecret,
        },
      });
      const first = await sap.read('production-orders', { pageSize: 10 })[Symbol.asyncIterator]().next();
      expect(sim.sap!.expireOAuthTokens()).toBeGreaterThan(0);
      const second = await sap.read('production-orders', { pageSize: 10 })[Symbol.asyncIterator]().next();
      await sap.close();
      expect(first.value?.records).toHaveLength(10);
      expect(second.value?.records).toHaveLength(10);
      const tokenCalls = sim.requests.list({ path: new RegExp(`${OAUTH_TOKEN_PATH}$`) });
      expect(tokenCalls).toHaveLength(2);
      expect(sim.requests.list({ method: 'GET' }).filter((e) => e.status === 401)).toHaveLength(1);
    });

    it('renews an expired OAuth token once for a write, CSRF fetch included', async () => {
      const [client] = SAP_DEFAULTS.oauthClients;
      const sap = connect(sim.url, {
        auth: {
          type: 'oauth2-client-credentials',
          tokenUrl: `${sim.url}${OAUTH_TOKEN_PATH}`,
          clientId: client.clientId,
          clientSecret: client.clientSecret,
        },
      });
      const template = await orderTemplate(sap);
      sim.requests.clear();
      expect(sim.sap!.expireOAuthTokens()).toBeGreaterThan(0);
      const results = await sap.write('production-orders', [{ data: template }], { mode: 'create' });
      await sap.close();
      expect(results.map((r) => r.action)).toEqual(['created']);
      // The CSRF fetch meets the expired token first and renews it; the write that follows must carry the
      // renewed token, not the one read before the fetch.
      expect(sim.requests.list({ path: new RegExp(`${OAUTH_TOKEN_PATH}$`) })).toHaveLength(1);
      expect(sim.requests.list({}).filter((e) => e.status === 401)).toHaveLength(1);
    });

    it('V4 JSON $batch: 1000 creates, 1000 results, the invalid record alone', async () => {
      const sap = connect(sim.url, {
        odataVersion: 'v4',
        services: { API_PRODUCTION_ORDER_2_SRV: V4_PRODUCTION_ORDERS },
      });
      const template = await orderTemplate(sap);
      const records: WriteItem[] = Array.from({ length: 1000 }, (_, i) => ({
        data: i === 500 ? { ...template, Material: 'NO-SUCH-MATERIAL' } : template,
      }));
      const results = await sap.write('production-orders', records, { mode: 'create', batchSize: 1000 });
      await sap.close();

      expect(results).toHaveLength(1000);
      expect(results.map((r) => r.index)).toEqual(records.map((_, i) => i));
      expect(results.filter((r) => r.action === 'created')).toHaveLength(999);
      expect(results[500]).toMatchObject({ action: 'error', error: { code: 'ERP_REJECTED' } });
      expect(results[500]?.error?.message).toMatch(/NO-SUCH-MATERIAL/);
      expect(new Set(results.filter((r) => r.targetId).map((r) => r.targetId)).size).toBe(999);
      expect(sim.requests.list({ method: 'POST', path: /\$batch$/ })).toHaveLength(1);
    });

    it('V2 multipart $batch: 1000 creates, the invalid record fails with its changeset', async () => {
      const sap = connect(sim.url, { changesetSize: 10 });
      const template = await orderTemplate(sap);
      const records: WriteItem[] = Array.from({ length: 1000 }, (_, i) => ({
        data: i === 505 ? { ...template, Material: 'NO-SUCH-MATERIAL' } : template,
      }));
      const results = await sap.write('production-orders', records, { mode: 'create', batchSize: 1000 });
      await sap.close();

      expect(results).toHaveLength(1000);
      const failed = results.filter((r) => r.action !== 'created').map((r) => r.index);
      // Changeset 500-509 rolls back as a whole (reference A.9); every other record is created.
      expect(failed).toEqual(Array.from({ length: 10 }, (_, i) => 500 + i));
      expect(results.filter((r) => r.action === 'created')).toHaveLength(990);
      expect(results.slice(500, 510).every((r) => /NO-SUCH-MATERIAL/.test(r.error?.message ?? ''))).toBe(true);
      expect(sim.requests.list({ method: 'POST', path: /\$batch$/ })).toHaveLength(1);
    });
  });
});
