import { forgetSecret, registerSecret, TaktError } from '../../errors';
import { systemClock, type Clock } from '../../time';
import { migrate } from '../sql/migrate';
import { SqlStateStore } from '../sql/sql-state-store';
import { PostgresDriver, quoteIdentifier } from './postgres-driver';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:5432/db`; the password is registered as a secret and never echoed. */
  readonly connectionString: string;
  /** Tables live in this schema (created if missing); several Takt installs can share one database. */
  readonly schema?: string;
  readonly poolSize?: number;
  readonly connectTimeoutMs?: number;
  readonly clock?: Clock;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * The shared store: for n8n queue mode with several workers and for several gateways. Concurrency safety
 * comes from the statements in SqlStateStore (ON CONFLICT … WHERE, version compare-and-set, FOR UPDATE on the
 * lease row inside a commit); this class only connects, pins the schema and migrates.
 */
export class PostgresStateStore extends SqlStateStore {
  private constructor(
    driver: PostgresDriver,
    clock: Clock,
    private readonly secret: string | undefined,
  ) {
    super(driver, clock);
  }

  static async open(options: PostgresStoreOptions): Promise<PostgresStateStore> {
    const schema = options.schema ?? 'takt';
    if (!SCHEMA_NAME.test(schema)) {
      throw new TaktError(
        'CONFIG_INVALID',
        `PostgreSQL schema "${schema}" is not a plain identifier: use letters, digits and underscores.`,
      );
    }
    const secret = passwordOf(options.connectionString);
    registerSecret(secret);
    const driver = new PostgresDriver(
      {
        connectionString: options.connectionString,
        max: options.poolSize ?? 5,
        connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      },
      options.connectionString,
      schema,
    );
    try {
      const clock = options.clock ?? systemClock;
      await migrate(driver, clock, [`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`]);
      return new PostgresStateStore(driver, clock, secret);
    } catch (error) {
      await driver.close().catch(() => undefined);
      forgetSecret(secret);
      throw error;
    }
  }

  override async close(): Promise<void> {
    await super.close();
    forgetSecret(this.secret);
  }
}

function passwordOf(connectionString: string): string | undefined {
  try {
    const password = new URL(connectionString).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    throw new TaktError(
      'URL_INVALID',
      'The PostgreSQL connection string is not a valid URL; expected postgres://user:password@host:5432/database.',
    );
  }
}
