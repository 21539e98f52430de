import { TaktError } from '../../errors';
import type { Clock } from '../../time';
import type { SqlDriver } from './driver';
import { MIGRATIONS, MIGRATIONS_TABLE, SCHEMA_VERSION } from './schema';

/** Any 64-bit constant works; this one spells "takt" so it is recognisable in pg_locks. */
const POSTGRES_MIGRATION_LOCK = 0x74616b74;

/**
 * Brings the schema to SCHEMA_VERSION in one transaction, after the adapter's `prelude` (creating the
 * PostgreSQL schema, for instance). On PostgreSQL an advisory lock makes workers that
 * start together wait for the first one instead of racing on CREATE TABLE.
 */
export async function migrate(driver: SqlDriver, clock: Clock, prelude: readonly string[] = []): Promise<void> {
  try {
    await driver.transaction(async (tx) => {
      if (driver.dialect === 'postgres') await tx.query(`SELECT pg_advisory_xact_lock(${POSTGRES_MIGRATION_LOCK})`);
      for (const statement of prelude) await tx.query(statement);
      await tx.query(MIGRATIONS_TABLE);
      const { rows } = await tx.query('SELECT version FROM takt_schema_migrations');
      const applied = new Set(rows.map((row) => Number(row.version)));
      const newest = Math.max(0, ...applied);
      if (newest > SCHEMA_VERSION) {
        throw new TaktError(
          'STORE_UNSUPPORTED',
          `The state store's schema is version ${newest}, newer than this Takt (version ${SCHEMA_VERSION}) understands. ` +
            'Upgrade Takt on this host, or point it at its own store.',
        );
      }
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        for (const statement of migration.statements(driver.dialect)) await tx.query(statement);
        await tx.query('INSERT INTO takt_schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
          migration.version,
          migration.name,
          clock.now(),
        ]);
      }
    });
  } catch (error) {
    if (TaktError.is(error)) throw error;
    throw new TaktError('STORE_MIGRATION_FAILED', `Could not prepare the state store's tables: ${String(error)}`, {
      cause: error,
    });
  }
}
