import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { output, waitForLine } from '../state/__fixtures__/child';
import { PostgresStateStore } from '../state/postgres/postgres-state-store';
import { SqliteStateStore } from '../state/sqlite/sqlite-state-store';
import { POSTGRES_TEST_URL, describeWithPostgres, uniqueSchemaName } from '../testing/services';

const EVENTS = 200;

interface RacerReport {
  readonly owner: string;
  readonly tally: Partial<Record<string, number>>;
  readonly applied: string[];
}

/** Compiled fixture (run `tsc -b` first), so each worker is a plain node process as hosts run them. */
function startRacer(owner: string, goFile: string, storeArgs: readonly string[]): ChildProcess {
  const script = join(__dirname, '..', '..', 'dist', 'events', '__fixtures__', 'event-racer.js');
  return spawn(process.execPath, [script, owner, String(EVENTS), goFile, ...storeArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Both workers get ready, then one go file releases them together: every event reaches both at once. */
async function race(storeArgs: readonly string[], dir: string): Promise<RacerReport[]> {
  const goFile = join(dir, 'go');
  const children = ['left', 'right'].map((owner) => startRacer(owner, goFile, storeArgs));
  const finished = children.map((child) => output(child, 50_000));
  await Promise.all(children.map((child) => waitForLine(child, 'ready')));
  writeFileSync(goFile, 'go');
  const outs = await Promise.all(finished);
  return outs.map((out) => JSON.parse(out.trim().split('\n').pop() ?? '{}') as RacerReport);
}

function figures(reports: readonly RacerReport[]): { processed: number; duplicate: number; other: number } {
  const sum = (status: string): number => reports.reduce((n, r) => n + (r.tally[status] ?? 0), 0);
  const all = reports.reduce((n, r) => n + Object.values(r.tally).reduce<number>((a, b) => a + (b ?? 0), 0), 0);
  return { processed: sum('processed'), duplicate: sum('duplicate'), other: all - sum('processed') - sum('duplicate') };
}

describeWithPostgres('T6 same event twice at the same instant (two processes)', () => {
  it('ACCEPTANCE: 200 events, each to two processes sharing PostgreSQL: 200 effects, 200 processed, 200 duplicate', async () => {
    const schema = uniqueSchemaName('takt_t6');
    const dir = mkdtempSync(join(tmpdir(), 'takt-t6-'));
    const client = new Client({ connectionString: POSTGRES_TEST_URL });
    await client.connect();
    try {
      await (await PostgresStateStore.open({ connectionString: POSTGRES_TEST_URL, schema })).close();
      await client.query(`CREATE TABLE "${schema}".t6_effects (event_id text NOT NULL, worker text NOT NULL)`);
      const reports = await race(['postgres', POSTGRES_TEST_URL, schema], dir);
      const { rows } = await client.query<{ effects: number; distinct_events: number }>(
        `SELECT count(*)::int AS effects, count(DISTINCT event_id)::int AS distinct_events FROM "${schema}".t6_effects`,
      );
      const effects = rows[0];
      const { processed, duplicate, other } = figures(reports);
      process.stdout.write(
        `T6 two processes [PostgreSQL]: effects ${effects?.effects} (distinct ${effects?.distinct_events}), ` +
          `processed ${processed}, duplicate ${duplicate}, other ${other}; ` +
          `per worker ${reports.map((r) => `${r.owner} ${r.applied.length}`).join(', ')}\n`,
      );
      expect([effects?.effects, effects?.distinct_events]).toEqual([EVENTS, EVENTS]);
      expect([processed, duplicate, other]).toEqual([EVENTS, EVENTS, 0]);
      const applied = reports.flatMap((r) => r.applied);
      expect(new Set(applied).size).toBe(EVENTS);
      expect(applied).toHaveLength(EVENTS);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('T6 same event twice at the same instant (two processes)', () => {
  it('SQLite: two processes on one file: 200 effects, 200 processed, 200 duplicate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'takt-t6-'));
    try {
      const file = join(dir, 'state.db');
      await (await SqliteStateStore.open({ file })).close();
      const reports = await race(['sqlite', file], dir);
      const { processed, duplicate, other } = figures(reports);
      const applied = reports.flatMap((r) => r.applied);
      process.stdout.write(
        `T6 two processes [SQLite]: effects ${applied.length} (distinct ${new Set(applied).size}), ` +
          `processed ${processed}, duplicate ${duplicate}, other ${other}; ` +
          `per worker ${reports.map((r) => `${r.owner} ${r.applied.length}`).join(', ')}\n`,
      );
      expect([applied.length, new Set(applied).size, processed, duplicate, other]).toEqual([
        EVENTS,
        EVENTS,
        EVENTS,
        EVENTS,
        0,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
