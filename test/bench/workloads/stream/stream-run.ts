/**
 * One W2 measurement, in a process of its own so its peak RSS belongs to exactly one input size: `records`
 * SAP production orders streamed page by page (1000 a page) from the simulator through the SAP connector,
 * each page mapped with the production-order preset and handed to upsertSync (content hash, id map plan, one
 * write to an acknowledging target, one SQLite commit carrying the page's cursor), then dropped.
 *
 * Started by w2-streaming.ts as `stream-run.js --url <simulator> --records <n>`; prints one `W2_RUN <json>`
 * line with the summary and exits 1 when a correctness check fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

import {
  SapConnector,
  SqliteStateStore,
  compileMapping,
  fromPreset,
  upsertSync,
  type Page,
  type UpsertStage,
} from '@takt/runtime';

import { StageClock, measure, round } from '../../harness/measure';
import { expectFigure } from '../../harness/report';
import { AcknowledgingTarget } from '../shared/ack-target';
import { KeyBitmap } from './key-bitmap';
import { RUN_PREFIX, type StreamRunResult } from './run-protocol';

const PAGE_SIZE = 1000;

const PRESET = 'sap/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrder_2';
const SOURCE = 'sap-sim-100';
const CONNECTION = 'bench-w2';
/** The entity W2 writes its mapped work orders to. */
const ACK_ENTITY = 'work-orders';
const STREAM = 'bench-w2/production-orders';
/** The simulator numbers its production orders from here (its FIRST_ORDER), one per index. */
const FIRST_ORDER = 1_000_000;
/** The simulator's default Basic user; loopback only. */
const SAP_USER = { username: 'TAKT_USER', password: 'Welcome1!' };

function argument(name: string): string {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? process.argv[index + 1] : undefined;
  if (value === undefined) throw new Error(`stream-run needs --${name}`);
  return value;
}

/** SAP's 14-character UTC stamp as the ISO instant the connector's page cursor carries. */
function stampToIso(stamp: string): string {
  const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((at, i) => stamp.slice(at, at + (i === 0 ? 4 : 2)));
  return `${y ?? ''}-${mo ?? ''}-${d ?? ''}T${h ?? ''}:${mi ?? ''}:${s ?? ''}.000Z`;
}

const UPSERT_STAGES: Readonly<Record<UpsertStage, string>> = {
  planned: 'hash+plan',
  written: 'write',
  committed: 'commit',
};

const mib = (bytes: number): number => round(bytes / 2 ** 20);

async function main(): Promise<void> {
  const url = argument('url');
  const records = Number(argument('records'));
  if (!Number.isInteger(records) || records <= 0 || records % PAGE_SIZE !== 0) {
    throw new Error(`--records must be a positive multiple of ${PAGE_SIZE}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'takt-bench-w2-'));
  try {
    await streamInto(dir, url, records);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function streamInto(dir: string, url: string, records: number): Promise<void> {
  const store = await SqliteStateStore.open({ file: join(dir, 'state.db') });
  const sap = new SapConnector({
    id: `bench-w2-${process.pid}`,
    baseUrl: url,
    client: '100',
    auth: { type: 'basic', ...SAP_USER },
    proxy: 'none',
  });
  const mapper = compileMapping(fromPreset(PRESET, { source: SOURCE }), { direction: 'inbound' });
  const orderBit = (order: unknown): number => Number(order) - FIRST_ORDER;
  const written = new KeyBitmap(records);
  const target = new AcknowledgingTarget(ACK_ENTITY, 'work_order', ['external_source', 'external_id'], (data) =>
    written.add(orderBit(data.external_id)),
  );
  const read = new KeyBitmap(records);
  try {
    const rssBeforeMiB = mib(process.resourceUsage().maxRSS * 1024);
    let heapBaseline = 0;
    let peakHeap = 0;
    let pages = 0;
    let created = 0;
    let commits = 0;
    let lastStamp = '';
    let lastOrder = '';
    let outOfOrder = 0;
    let epochDates = 0;
    const sampleHeap = (): void => {
      peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
    };

    // One measured pass per process, no warm-up: a warm-up would double the 1M run (minutes) and W2 compares
    // the memory of one pass at 100k with one pass at 1M, under the same protocol in both processes.
    const summary = await measure(
      `streamed ${records.toLocaleString('en-US')} (own process)`,
      async () => {
        heapBaseline = getHeapStatistics().used_heap_size;
        peakHeap = heapBaseline;
        const clock = new StageClock();
        const spans: Record<string, number> = {};
        const pagesIn = sap.read('production-orders', { pageSize: PAGE_SIZE })[Symbol.asyncIterator]();
        let seen = 0;
        while (seen < records) {
          const stopRead = clock.start('read');
          const next: IteratorResult<Page> = await pagesIn.next();
          stopRead();
          if (next.done) break;
          const page = next.value;
          pages += 1;
          seen += page.records.length;
          sampleHeap();

          const stopMap = clock.start('map');
          const mapped: Record<string, unknown>[] = [];
          for (const record of page.records) {
            read.add(orderBit(record.ManufacturingOrder));
            const stamp = String(record.LastChangeDateTime);
            if (stamp < lastStamp) outOfOrder += 1;
            lastStamp = stamp;
            lastOrder = String(record.ManufacturingOrder);
            const result = await mapper.map(record, mapped.length);
            if (!result.ok) throw new Error(`order ${lastOrder} did not map: ${JSON.stringify(result.issues)}`);
            // A wrong answer, checked below: a planned start at 1970 is what a preset that parses only
            // `/Date(ms)/` made of the ISO dates the connector hands over.
            if (String(result.output.planned_start).startsWith('1970-')) epochDates += 1;
            mapped.push(result.output);
          }
          stopMap();

          // upsertSync's own stages, from its batch hooks: hash + id map plan, the target write, the SQLite
          // commit (with the page's cursor). One batch per page, so each hook closes one span.
          let mark = performance.now();
          const { summary: upsert } = await upsertSync({
            store,
            connector: target,
            connection: CONNECTION,
            entity: ACK_ENTITY,
            records: mapped,
            batchSize: PAGE_SIZE,
            children: [],
            parent: null,
            ...(page.cursor === undefined ? {} : { stream: { name: STREAM, cursor: page.cursor } }),
            onStage: (stage) => {
              const now = performance.now();
              const name = UPSERT_STAGES[stage];
              spans[name] = (spans[name] ?? 0) + now - mark;
              mark = now;
              sampleHeap();
            },
          });
          if (upsert.created !== mapped.length || upsert.error !== 0) {
            throw new Error(`page ${pages}: ${upsert.created} created, ${upsert.error} failed of ${mapped.length}`);
          }
          created += upsert.created;
          commits += upsert.commits;
        }
        await pagesIn.return?.();
        return {
          records: seen,
          stages: { ...clock.stages, ...spans },
          checks: { pages, created, commits },
        };
      },
      { warmUp: 0, iterations: 1 },
    );

    // A fast wrong answer fails: every order read once and written once, in delta order, and the store
    // holding one id map row per order and the last order's stamp as the stream's watermark.
    expectFigure('records read', read.count, records);
    expectFigure('orders read twice', read.duplicates, 0);
    expectFigure('orders outside the expected range', read.outOfRange, 0);
    expectFigure('records out of delta order', outOfOrder, 0);
    expectFigure('last order read', lastOrder, String(FIRST_ORDER + records - 1));
    expectFigure('records written', target.recordsWritten, records);
    expectFigure('orders written twice', written.duplicates, 0);
    expectFigure('distinct orders written', written.count, records);
    expectFigure('write calls (one per page)', target.writeCalls, records / PAGE_SIZE);
    expectFigure('local commits (one per page)', commits, records / PAGE_SIZE);
    const idMapRows = (await store.countIdMappings(CONNECTION)).get(ACK_ENTITY) ?? 0;
    expectFigure('id map rows', idMapRows, records);
    const watermark = (await store.getCursor(STREAM))?.value;
    expectFigure('final watermark', watermark, stampToIso(lastStamp));

    const result: StreamRunResult = {
      summary: {
        ...summary,
        checks: { ...summary.checks, idMapRows, watermark: watermark ?? '', lastOrder, epochDates },
      },
      rssBeforeMiB,
      heapBaselineMiB: mib(heapBaseline),
      peakHeapMiB: mib(peakHeap),
      pages,
    };
    process.stdout.write(`${RUN_PREFIX}${JSON.stringify(result)}\n`);
  } finally {
    await sap.close();
    await store.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`W2 run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
