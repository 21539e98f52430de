import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaktError } from '../../errors';
import { FakeClock } from '../../time';
import { V1_STARTED, expectSchemaV1Migrated, seedSchemaV1 } from '../__fixtures__/schema-v1';
import { describeStateStoreContract } from '../contract/state-store-contract';
import { SCHEMA_VERSION } from '../sql/schema';
import { loadSqliteBinding } from './sqlite-binding';
import { SqliteDriver } from './sqlite-driver';
import { SqliteStateStore } from './sqlite-state-store';

describeStateStoreContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'takt-sqlite-'));
  const file = join(dir, 'state.db');
  return {
    open: (clock) => SqliteStateStore.open({ file, clock }),
    destroy: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe('SqliteStateStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'takt-sqlite-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opens in WAL mode with synchronous=FULL and foreign keys on', async () => {
    const store = await SqliteStateStore.open({ file: join(dir, 'state.db') });
    try {
      expect(store.settings()).toMatchObject({ journalMode: 'wal', synchronous: 2, foreignKeys: true });
      // The built-in module wherever Node has one (n8n's Node 24); the native module on Node 20.
      const builtin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.('node:sqlite');
      expect(store.settings().binding).toBe(builtin ? 'node:sqlite' : 'better-sqlite3');
      expect(await store.integrityCheck()).toBe('ok');
    } finally {
      await store.close();
    }
  });

  it('keeps data across reopen and migrates only once', async () => {
    const file = join(dir, 'state.db');
    const first = await SqliteStateStore.open({ file });
    await first.commit({ cursor: { stream: 's', expectedVersion: 0, value: 'w1' } });
    await first.close();
    const second = await SqliteStateStore.open({ file });
    try {
      expect(await second.getCursor('s')).toMatchObject({ value: 'w1', version: 1 });
    } finally {
      await second.close();
    }
  });

  it('refuses a file whose schema is newer than this code', async () => {
    const file = join(dir, 'state.db');
    const store = await SqliteStateStore.open({ file });
    await store.close();
    const raw = loadSqliteBinding().open(file);
    raw.exec("INSERT INTO takt_schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)");
    raw.close();
    await expect(SqliteStateStore.open({ file })).rejects.toMatchObject({ code: 'STORE_UNSUPPORTED' });
  });

  it('migrates a version 1 file with data to the current schema, keys and cascades intact', async () => {
    const file = join(dir, 'state.db');
    const binding = loadSqliteBinding();
    const v1 = new SqliteDriver(binding.open(file), binding.name, file);
    v1.setup('PRAGMA foreign_keys = ON');
    await seedSchemaV1(v1);
    await v1.close();

    const store = await SqliteStateStore.open({ file, clock: new FakeClock(V1_STARTED + 1_000) });
    try {
      await expectSchemaV1Migrated(store);
      expect(await store.integrityCheck()).toBe('ok');
    } finally {
      await store.close();
    }
    const raw = binding.open(file);
    try {
      expect(raw.prepare('SELECT MAX(version) AS v FROM takt_schema_migrations').all()[0]).toEqual({
        v: SCHEMA_VERSION,
      });
      expect(raw.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
      // The rebuilt error table references the rebuilt job table, so deleting a job still takes its errors.
      expect(raw.prepare('PRAGMA foreign_key_list(takt_job_errors)').all()).toEqual([
        expect.objectContaining({ table: 'takt_jobs', on_delete: 'CASCADE' }),
      ]);
      raw.exec('PRAGMA foreign_keys = ON');
      raw.exec("DELETE FROM takt_jobs WHERE id = 'j-partial'");
      expect(raw.prepare('SELECT COUNT(*) AS n FROM takt_job_errors').all()[0]).toEqual({ n: 0 });
      expect(raw.prepare("SELECT name FROM sqlite_master WHERE name LIKE '%_v2'").all()).toEqual([]);
    } finally {
      raw.close();
    }
  });

  it('keeps secrets out of a delivery commit waiting on disk for its ACK, and drops the commit once applied', async () => {
    const file = join(dir, 'state.db');
    const store = await SqliteStateStore.open({ file });
    try {
      await store.createJob({ id: 'j', connection: 'c', entity: 'e', kind: 'events', direction: 'inbound' });
      await store.createDelivery({
        token: 'tok',
        stream: 's',
        records: 1,
        expiresAt: Date.now() + 60_000,
        commit: {
          deadLetters: [
            {
              scope: 's',
              key: 'k',
              payload: {},
              attempts: 1,
              error: { code: 'AUTH_FAILED', message: 'Authorization: Bearer s3cr3t-t0ken', retryable: false },
            },
          ],
          job: {
            id: 'j',
            errors: [{ recordIndex: 0, payload: { password: 'hunter2' }, code: 'X', message: 'x', retryable: false }],
          },
        },
      });
    } finally {
      await store.close();
    }
    const raw = loadSqliteBinding().open(file);
    try {
      const row = raw.prepare('SELECT commit_unit FROM takt_deliveries').all()[0] as { commit_unit: string };
      expect(row.commit_unit).toContain('AUTH_FAILED');
      expect(row.commit_unit).not.toMatch(/hunter2|s3cr3t-t0ken/);
    } finally {
      raw.close();
    }
    // Once applied, the commit is not kept: the row shrinks to what a repeated ACK needs.
    const reopened = await SqliteStateStore.open({ file });
    try {
      expect(await reopened.ackDelivery('tok')).toMatchObject({ status: 'acked' });
      expect(await reopened.ackDelivery('tok')).toEqual({ status: 'already_acked' });
    } finally {
      await reopened.close();
    }
    const after = loadSqliteBinding().open(file);
    try {
      expect(after.prepare('SELECT commit_unit FROM takt_deliveries').all()).toEqual([{ commit_unit: '{}' }]);
    } finally {
      after.close();
    }
  });

  it('names the folder when the file cannot be created', async () => {
    const error = await SqliteStateStore.open({ file: join(dir, 'missing', 'deeper', 'state.db') }).catch(
      (e: unknown) => e,
    );
    expect(TaktError.is(error) && error.code).toBe('CONFIG_INVALID');
    expect((error as Error).message).toContain('folder exists and is writable');
  });

  it('reports a file that is not a database as STORE_CORRUPT', async () => {
    const file = join(dir, 'state.db');
    writeFileSync(file, Buffer.alloc(4096, 0x41));
    await expect(SqliteStateStore.open({ file })).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
  });
});
