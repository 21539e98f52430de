import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaktError } from '../../errors';
import { describeStateStoreContract } from '../contract/state-store-contract';
import { loadSqliteBinding } from './sqlite-binding';
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
