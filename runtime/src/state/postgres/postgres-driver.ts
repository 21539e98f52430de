import { Pool, types as pgTypes, type PoolClient, type PoolConfig } from 'pg';
import { TaktError, redactUrl } from '../../errors';
import type { SqlDriver, SqlParam, SqlResult, SqlSession } from '../sql/driver';

/** `?` placeholders → `$1, $2, …` (the store's statements never contain a literal question mark). */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${(n += 1)}`);
}

/** BIGINT (int8, oid 20) and COUNT results arrive as strings by default; our BIGINTs are epoch ms and counters. */
const INT8_OID = 20;
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pgTypes.getTypeParser(oid, format),
};

/**
 * SqlDriver over a pg Pool. Each transaction holds one pooled client from BEGIN to COMMIT; single statements
 * take any client. Every session's search_path is pinned to the store's schema.
 */
export class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgres' as const;
  private readonly pool: Pool;

  constructor(
    config: PoolConfig,
    private readonly label: string,
    schema: string,
  ) {
    this.pool = new Pool({
      ...config,
      types,
      options: `${config.options ?? ''} -c search_path=${quoteIdentifier(schema)}`.trim(),
    });
    // An idle client that loses its server emits 'error' on the pool; without a listener that kills the process.
    this.pool.on('error', () => undefined);
  }

  async query(sql: string, params: readonly SqlParam[] = []): Promise<SqlResult> {
    try {
      const result = await this.pool.query(numberPlaceholders(sql), params as SqlParam[]);
      return { rows: result.rows as SqlResult['rows'], changes: result.rowCount ?? 0 };
    } catch (error) {
      throw postgresError(error, this.label);
    }
  }

  async transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw postgresError(error, this.label);
    }
    const session: SqlSession = {
      query: async (sql, params = []) => {
        try {
          const result = await client.query(numberPlaceholders(sql), params as SqlParam[]);
          return { rows: result.rows as SqlResult['rows'], changes: result.rowCount ?? 0 };
        } catch (error) {
          throw postgresError(error, this.label);
        }
      },
    };
    let broken = false;
    try {
      await session.query('BEGIN');
      const result = await work(session);
      await session.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true; // the connection itself failed; do not return it to the pool
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P01',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);

/** PostgreSQL failures in Takt's terms; the message names the server (never its credentials). */
export function postgresError(error: unknown, label: string): TaktError {
  if (TaktError.is(error)) return error;
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (UNAVAILABLE.has(code) || /Connection terminated|timeout exceeded when trying to connect/i.test(message)) {
    return new TaktError(
      'STORE_UNAVAILABLE',
      `The PostgreSQL state store at ${redactUrl(label)} is unreachable (${code || message}). Takt stops ` +
        'acknowledging and pushing until it is back.',
      { cause: error },
    );
  }
  if (code === 'ENOTFOUND') {
    return new TaktError('CONFIG_INVALID', `The PostgreSQL host of ${redactUrl(label)} does not resolve.`, {
      cause: error,
    });
  }
  if (code === '28P01' || code === '28000') {
    return new TaktError('AUTH_FAILED', `PostgreSQL at ${redactUrl(label)} rejected the user or password.`, {
      cause: error,
    });
  }
  if (code === '3D000' || code === '3F000') {
    return new TaktError(
      'CONFIG_INVALID',
      `PostgreSQL at ${redactUrl(label)}: ${message}. Create it or fix the name.`,
      {
        cause: error,
      },
    );
  }
  if (code === '40001' || code === '40P01' || code === '55P03') {
    return new TaktError('STORE_BUSY', `PostgreSQL state store: ${message}`, { cause: error });
  }
  return new TaktError('INTERNAL', `PostgreSQL state store: ${message}`, { cause: error });
}
