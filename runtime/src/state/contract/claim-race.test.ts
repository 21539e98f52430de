import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { POSTGRES_TEST_URL, describeWithPostgres, uniqueSchemaName } from '../../testing/services';
import { output, startFixture } from '../__fixtures__/child';
import { PostgresStateStore } from '../postgres/postgres-state-store';
import { SqliteStateStore } from '../sqlite/sqlite-state-store';

const KEYS = 200;

/** Two processes claim the same keys from the same start instant: each key must be won exactly once. */
async function race(storeArgs: string[]): Promise<{ left: string[]; right: string[] }> {
  const startAt = String(Date.now() + 1_500);
  const [left, right] = await Promise.all(
    ['left', 'right'].map((owner) => output(startFixture('claim-racer', [owner, String(KEYS), startAt, ...storeArgs]))),
  );
  return { left: JSON.parse(left!) as string[], right: JSON.parse(right!) as string[] };
}

function expectSplit({ left, right }: { left: string[]; right: string[] }): void {
  const overlap = left.filter((key) => right.includes(key));
  expect(overlap).toEqual([]);
  expect(left.length + right.length).toBe(KEYS);
  expect(new Set([...left, ...right]).size).toBe(KEYS);
}

describe('claims raced by two processes', () => {
  it('SQLite: one file, two processes, each key won once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'takt-race-'));
    try {
      const file = join(dir, 'state.db');
      await (await SqliteStateStore.open({ file })).close(); // migrate before the race
      expectSplit(await race(['sqlite', file]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describeWithPostgres('claims raced by two processes', () => {
  it('PostgreSQL: one schema, two processes, each key won once', async () => {
    const schema = uniqueSchemaName('takt_race');
    try {
      await (await PostgresStateStore.open({ connectionString: POSTGRES_TEST_URL, schema })).close();
      expectSplit(await race(['postgres', POSTGRES_TEST_URL, schema]));
    } finally {
      const client = new Client({ connectionString: POSTGRES_TEST_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  }, 60_000);
});
