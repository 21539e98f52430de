import { TaktError } from '../../errors';
import type { StateStore } from '../../state/types';
import { systemClock } from '../../time';
import { describeEachStore } from './__fixtures__/stores';
import { capturingLogger, orderSource, pullOptions, storedCursor, watermarkMs } from './__fixtures__/pull-harness';
import { acknowledgeDelivery } from './acknowledge';
import { pullChanges } from './pull-changes';
import type { PullOptions } from './pull-types';

const RECORDS = 1_000;
const DEADLINE_MS = 25_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Tally {
  readonly emitted: Map<string, number>;
  readonly acked: Map<string, number>;
  /** [cursor version, watermark ms] after every successful ACK, from both pollers. */
  readonly watermarks: [number, number][];
  readonly refusals: Record<'lease_held' | 'pending' | 'conflict', number>;
}

/**
 * Two pollers (n8n multi-main failover, or a duplicate poller registration) run the same stream on separate
 * store sessions, with the real clock, while the source appends 1,000 records over about five seconds.
 */
describeEachStore('T9 two pollers on the same stream', (open) => {
  it('every record is handed out and acknowledged exactly once; the watermark only moves forward', async () => {
    const db = await open(systemClock);
    const stores = [db.store, await db.connect()];
    const source = orderSource();
    const { logger, records: logs } = capturingLogger();
    const tally: Tally = {
      emitted: new Map(),
      acked: new Map(),
      watermarks: [],
      refusals: { lease_held: 0, pending: 0, conflict: 0 },
    };
    let appended = 0;
    const appender = (async () => {
      for (let i = 0; i < RECORDS; i++) {
        source.put('orders', { id: `r${String(i).padStart(4, '0')}`, seq: i, updatedAt: new Date().toISOString() });
        appended++;
        if (i % 20 === 19) await sleep(100);
      }
    })();
    const started = Date.now();
    const done = (): boolean =>
      (appended === RECORDS && tally.acked.size === RECORDS) || Date.now() - started > DEADLINE_MS;

    const poller = async (owner: string, store: StateStore): Promise<void> => {
      const options: PullOptions = pullOptions(store, source, systemClock, {
        owner,
        logger: logger.child({ poller: owner }),
        safetyLagMs: 200,
        lookbackMs: 2_000,
        leaseTtlMs: 5_000,
        deliveryTtlMs: 30_000,
        pageSize: 250,
        maxRecords: 150,
      });
      while (!done()) {
        const result = await pullChanges(options);
        if (result.status === 'lease_held' || result.status === 'pending') {
          tally.refusals[result.status]++;
          await sleep(5 + Math.random() * 10);
          continue;
        }
        if (result.status === 'nothing_new') {
          await sleep(10);
          continue;
        }
        for (const record of result.delivery.records) bump(tally.emitted, record.externalId);
        await sleep(Math.random() * 20); // the host's workflow
        try {
          await acknowledgeDelivery(store, result.delivery.token);
        } catch (error) {
          if (TaktError.is(error) && error.code === 'CURSOR_VERSION_CONFLICT') {
            tally.refusals.conflict++;
            continue;
          }
          throw error;
        }
        for (const record of result.delivery.records) bump(tally.acked, record.externalId);
        const cursor = await storedCursor(store);
        tally.watermarks.push([cursor.version, watermarkMs(cursor) ?? 0]);
      }
    };
    await Promise.all([appender, poller('poller-a', stores[0] ?? db.store), poller('poller-b', stores[1] ?? db.store)]);

    expect(tally.acked.size).toBe(RECORDS);
    expect([...tally.acked.values()].every((count) => count === 1)).toBe(true);
    expect([...tally.emitted.values()].every((count) => count === 1)).toBe(true);
    expect(tally.emitted.size).toBe(RECORDS);
    const byVersion = [...tally.watermarks].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < byVersion.length; i++) {
      expect(byVersion[i]?.[0]).toBeGreaterThan(byVersion[i - 1]?.[0] ?? 0);
      expect(byVersion[i]?.[1]).toBeGreaterThanOrEqual(byVersion[i - 1]?.[1] ?? 0);
    }
    const refused = tally.refusals.lease_held + tally.refusals.pending + tally.refusals.conflict;
    expect(refused).toBeGreaterThan(0);
    const logged = logs.filter((log) => /lease held|awaits its acknowledgement/.test(log.msg)).length;
    expect(logged).toBe(tally.refusals.lease_held + tally.refusals.pending);
    process.stdout.write(
      `T9 (${db.store.kind}): ${tally.acked.size} records acked once each in ${Date.now() - started} ms, ` +
        `${byVersion.length} ACKs, watermark monotone over ${byVersion.length} versions; loser refusals: ` +
        `${JSON.stringify(tally.refusals)}\n`,
    );
  }, 45_000);
});

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
