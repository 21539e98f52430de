import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'pg';

import { TaktError } from '../errors';
import { defaultN8nStoreDir, openStore, parseStoreConfig, sqliteFileOf } from './store-config';

describe('parseStoreConfig', () => {
  it('accepts SQLite with and without a file', () => {
    expect(parseStoreConfig({ kind: 'sqlite' })).toEqual({ kind: 'sqlite' });
    expect(parseStoreConfig({ kind: 'sqlite', file: ' ' })).toEqual({ kind: 'sqlite' });
    expect(parseStoreConfig({ kind: 'sqlite', file: 'state.db' })).toEqual({ kind: 'sqlite', file: 'state.db' });
  });

  it('accepts PostgreSQL with a schema', () => {
    expect(
      parseStoreConfig({ kind: 'postgres', connectionString: 'postgres://u:p@db/takt', schema: 'takt_a' }),
    ).toEqual({ kind: 'postgres', connectionString: 'postgres://u:p@db/takt', schema: 'takt_a' });
  });

  it('names the field to fix and never echoes the connection string', () => {
    let caught: unknown;
    try {
      parseStoreConfig({ kind: 'postgres', connectionString: 'mysql://u:Secr3t@db/x' });
    } catch (error) {
      caught = error;
    }
    expect(TaktError.is(caught) && caught.code).toBe('CONFIG_INVALID');
    expect((caught as Error).message).toContain('connectionString: Connection String must start with postgres://');
    expect((caught as Error).message).not.toContain('Secr3t');
    expect(() => parseStoreConfig({ kind: 'postgres', connectionString: 'postgres://db/x', schema: 'a-b' })).toThrow(
      'schema: Schema must be a plain identifier',
    );
    expect(() => parseStoreConfig({ kind: 'redis' })).toThrow('Store Type must be "sqlite" or "postgres"');
  });
});

describe('defaultN8nStoreDir', () => {
  it('uses N8N_USER_FOLDER/.n8n, else ~/.n8n', () => {
    expect(defaultN8nStoreDir({ N8N_USER_FOLDER: '/srv/n8n' })).toBe(join('/srv/n8n', '.n8n'));
    expect(defaultN8nStoreDir({})).toBe(join(homedir(), '.n8n'));
  });
});

describe('sqliteFileOf', () => {
  it('puts the default file in the default folder and resolves relative paths against it', () => {
    expect(sqliteFileOf({}, '/data')).toBe(join('/data', 'takt-state.sqlite'));
    expect(sqliteFileOf({ file: 'x/state.db' }, '/data')).toBe(join('/data', 'x', 'state.db'));
    expect(sqliteFileOf({ file: '/abs/state.db' }, '/data')).toBe('/abs/state.db');
  });
});

describe('openStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'takt-store-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the default SQLite file in a folder it creates', async () => {
    const defaultDir = join(dir, 'user', '.n8n');
    const store = await openStore({ kind: 'sqlite' }, { defaultDir, env: {} });
    try {
      expect(existsSync(join(defaultDir, 'takt-state.sqlite'))).toBe(true);
      expect(await store.getCursor('nothing')).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('refuses SQLite in n8n queue mode before creating anything', async () => {
    const defaultDir = join(dir, 'queue');
    await expect(
      openStore({ kind: 'sqlite' }, { defaultDir, env: { EXECUTIONS_MODE: 'queue' } }),
    ).rejects.toMatchObject({ code: 'STORE_UNSUPPORTED' });
    expect(existsSync(defaultDir)).toBe(false);
  });

  it('opens PostgreSQL in its own schema, also in queue mode', async () => {
    const schema = `takt_store_config_${process.pid}`;
    const store = await openStore(
      { kind: 'postgres', connectionString: 'postgres://postgres@127.0.0.1:5432/test', schema },
      { defaultDir: dir, env: { EXECUTIONS_MODE: 'queue' } },
    );
    try {
      expect(await store.getCursor('nothing')).toBeUndefined();
    } finally {
      await store.close();
      const client = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  });
});
