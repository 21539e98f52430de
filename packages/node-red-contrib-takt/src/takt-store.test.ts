import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { Client } from 'pg';

import { resourcePool, SqliteStateStore, TaktError } from '@takt/runtime';
import { describeWithPostgres, POSTGRES_TEST_URL } from '@takt/runtime/dist/testing/services';

import type { TaktStoreNode } from './shared/config-node';
import { node, useRedSuite } from './testing/red';
import taktStore from './takt-store';

describe('takt-store', () => {
  const ctx = useRedSuite();
  const pool = resourcePool();

  it('opens takt-state.sqlite in the userDir by default and shares it with every user', async () => {
    await ctx.load([taktStore], [{ id: 's1', type: 'takt-store', storeType: 'sqlite', file: '' }]);
    const config = node<TaktStoreNode>('s1');
    const file = join(ctx.userDir, 'takt-state.sqlite');
    expect(config.location).toBe(`SQLite ${file}`);

    const store = await config.store();
    expect(await store.claim('nr-test', 'event-1', 'owner-a', 60_000)).toMatchObject({ status: 'claimed' });
    expect(await config.store()).toBe(store);
    expect(existsSync(file)).toBe(true);

    // The claim is in the file: a second, independent store on it sees the key as taken.
    const other = await SqliteStateStore.open({ file });
    try {
      expect((await other.claim('nr-test', 'event-1', 'owner-b', 60_000)).status).not.toBe('claimed');
    } finally {
      await other.close();
    }
  });

  it('resolves a relative SQLite file against the userDir and releases the store on close', async () => {
    await ctx.load([taktStore], [{ id: 's1', type: 'takt-store', storeType: 'sqlite', file: 'state/gw.sqlite' }]);
    const config = node<TaktStoreNode>('s1');
    await config.store();
    expect(existsSync(join(ctx.userDir, 'state', 'gw.sqlite'))).toBe(true);
    const open = pool.size;
    expect(open).toBeGreaterThan(0);
    await ctx.unload();
    expect(pool.size).toBe(open - 1);
    await expect(config.store()).rejects.toThrow(/closed/);
  });

  describeWithPostgres('PostgreSQL', () => {
    it('opens a schema from the connection string credential, never showing the password', async () => {
      const schema = `nr_store_${process.pid}_${Date.now()}`;
      const url = new URL(POSTGRES_TEST_URL);
      url.password = 'not-a-real-secret';
      const connectionString = url.toString();
      await ctx.load([taktStore], [{ id: 's1', type: 'takt-store', storeType: 'postgres', schema }], {
        s1: { connectionString },
      });
      const config = node<TaktStoreNode>('s1');
      expect(config.location).toBe(`PostgreSQL ${url.host}${url.pathname} schema ${schema}`);
      expect(config.location).not.toContain('not-a-real-secret');
      const client = new Client({ connectionString: POSTGRES_TEST_URL });
      await client.connect();
      try {
        const store = await config.store();
        expect(await store.claim('nr-test', 'event-1', 'owner-a', 60_000)).toMatchObject({ status: 'claimed' });
        const tables = await client.query<{ n: string }>(
          'select count(*) as n from information_schema.tables where table_schema = $1',
          [schema],
        );
        expect(Number(tables.rows[0]?.n)).toBeGreaterThan(3);
      } finally {
        await ctx.unload();
        await client.query(`drop schema if exists ${schema} cascade`);
        await client.end();
      }
    });
  });

  it('refuses a PostgreSQL store without a connection string, naming the field', async () => {
    await ctx.load([taktStore], [{ id: 's1', type: 'takt-store', storeType: 'postgres', schema: 'x' }]);
    const error: unknown = await node<TaktStoreNode>('s1')
      .store()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(TaktError.is(error)).toBe(true);
    expect((error as TaktError).code).toBe('CONFIG_INVALID');
    expect((error as TaktError).message).toMatch(/Connection String/);
  });
});
