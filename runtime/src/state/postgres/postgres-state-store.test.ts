import { Client } from 'pg';
import { POSTGRES_TEST_URL, describeWithPostgres, uniqueSchemaName } from '../../testing/services';
import { FakeClock } from '../../time';
import { V1_STARTED, expectSchemaV1Migrated, seedSchemaV1 } from '../__fixtures__/schema-v1';
import { describeStateStoreContract } from '../contract/state-store-contract';
import { PostgresDriver, quoteIdentifier } from './postgres-driver';
import { PostgresStateStore } from './postgres-state-store';

async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: POSTGRES_TEST_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

describeWithPostgres('PostgresStateStore', () => {
  describeStateStoreContract('postgres', async () => {
    const schema = uniqueSchemaName('takt_contract');
    return {
      // Each open is its own pool: "two connections" in the concurrency tests are two real sessions.
      open: (clock) => PostgresStateStore.open({ connectionString: POSTGRES_TEST_URL, schema, clock, poolSize: 4 }),
      destroy: () => dropSchema(schema),
    };
  });

  it('migrates once when several workers open the same schema together', async () => {
    const schema = uniqueSchemaName('takt_migrate');
    try {
      const stores = await Promise.all(
        Array.from({ length: 4 }, () => PostgresStateStore.open({ connectionString: POSTGRES_TEST_URL, schema })),
      );
      await stores[0]!.commit({ cursor: { stream: 's', expectedVersion: 0, value: 'v' } });
      expect(await stores[3]!.getCursor('s')).toMatchObject({ value: 'v', version: 1 });
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await dropSchema(schema);
    }
  });

  it('migrates a version 1 schema with data to the current one', async () => {
    const schema = uniqueSchemaName('takt_v1');
    try {
      const v1 = new PostgresDriver({ connectionString: POSTGRES_TEST_URL }, POSTGRES_TEST_URL, schema);
      await seedSchemaV1(v1, [`CREATE SCHEMA ${quoteIdentifier(schema)}`]);
      await v1.close();
      const store = await PostgresStateStore.open({
        connectionString: POSTGRES_TEST_URL,
        schema,
        clock: new FakeClock(V1_STARTED + 1_000),
      });
      try {
        await expectSchemaV1Migrated(store);
      } finally {
        await store.close();
      }
    } finally {
      await dropSchema(schema);
    }
  });

  it('rejects a schema name that is not a plain identifier', async () => {
    await expect(
      PostgresStateStore.open({ connectionString: POSTGRES_TEST_URL, schema: 'x"; DROP' }),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
  });
});
