import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { killed, startFixture, waitForLine } from '../__fixtures__/child';
import { loadSqliteBinding } from './sqlite-binding';
import { SqliteStateStore } from './sqlite-state-store';

const ROWS_PER_BATCH = 50;
const KILLS = 20;

/**
 * Reliability T3: a writer committing id map rows + cursor in one transaction per batch is SIGKILLed at
 * random moments. After every kill the file must open, pass integrity_check, show no partial batch, and hold
 * a cursor equal to the last complete batch.
 */
describe('SQLite store under SIGKILL', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'takt-crash-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`survives ${KILLS} kills mid-batch with every batch whole and the cursor on the last one`, async () => {
    const file = join(dir, 'state.db');
    const progress: number[] = [];
    for (let kill = 0; kill < KILLS; kill += 1) {
      const child = startFixture('batch-writer', ['sqlite', file]);
      await waitForLine(child, 'ready');
      await delay(50 + Math.floor(Math.random() * 450));
      child.kill('SIGKILL');
      expect(await killed(child)).toBe('SIGKILL');

      const store = await SqliteStateStore.open({ file });
      try {
        expect(await store.integrityCheck()).toBe('ok');
        expect(store.settings()).toMatchObject({ journalMode: 'wal', synchronous: 2 });
        const cursor = await store.getCursor('crash-test');
        const version = cursor?.version ?? 0;
        expect(cursor?.value ?? '0').toBe(String(version));
        progress.push(version);
      } finally {
        await store.close();
      }

      const raw = loadSqliteBinding().open(file);
      try {
        const groups = raw
          .prepare('SELECT content_hash AS batch, COUNT(*) AS n FROM takt_id_map GROUP BY content_hash')
          .all() as { batch: string; n: number }[];
        const partial = groups.filter((g) => Number(g.n) !== ROWS_PER_BATCH);
        expect(partial).toEqual([]);
        const batches = groups.map((g) => Number(g.batch.replace('batch-', ''))).sort((a, b) => a - b);
        const version = progress[progress.length - 1]!;
        expect(batches).toEqual(Array.from({ length: version }, (_, i) => i + 1));
      } finally {
        raw.close();
      }
    }
    // The writer made progress between kills (otherwise the test proved nothing).
    expect(progress[progress.length - 1]).toBeGreaterThan(KILLS);
    expect(new Set(progress).size).toBeGreaterThan(KILLS / 2);
  }, 120_000);
});
