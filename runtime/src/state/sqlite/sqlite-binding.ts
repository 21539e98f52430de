import { TaktError } from '../../errors';

/**
 * The synchronous SQLite API that both bindings share, reduced to what the store uses.
 *
 * Which binding: Node's built-in `node:sqlite` where it exists without a flag (Node ≥ 22.13, so under
 * n8n 2.x's Node 24), else `better-sqlite3`, built from source by `npm ci` on Node 20 (factory gateways).
 * A native module compiled for one Node ABI does not load under another, so preferring the built-in module
 * is what lets one install serve both. `TAKT_SQLITE_DRIVER=better-sqlite3` forces the module (tests use it
 * to run the contract suite on both bindings under one Node).
 */
export interface SqliteStatement {
  run(...params: unknown[]): { changes: number | bigint };
  all(...params: unknown[]): unknown[];
}

export interface SqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  close(): void;
}

export type SqliteBindingName = 'node:sqlite' | 'better-sqlite3';

export interface SqliteBinding {
  readonly name: SqliteBindingName;
  open(file: string): SqliteDatabase;
}

interface NodeSqliteModule {
  DatabaseSync: new (path: string) => SqliteDatabase;
}

type BetterSqliteConstructor = new (path: string) => SqliteDatabase;

function nodeSqlite(): SqliteBinding | undefined {
  const getBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  const mod = getBuiltin?.call(process, 'node:sqlite') as NodeSqliteModule | undefined;
  if (!mod?.DatabaseSync) return undefined;
  return { name: 'node:sqlite', open: (file) => new mod.DatabaseSync(file) };
}

function betterSqlite(): SqliteBinding | undefined {
  let ctor: BetterSqliteConstructor;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional native dependency, loaded on demand
    ctor = require('better-sqlite3') as BetterSqliteConstructor;
  } catch {
    return undefined;
  }
  return { name: 'better-sqlite3', open: (file) => new ctor(file) };
}

export function loadSqliteBinding(preferred = process.env.TAKT_SQLITE_DRIVER): SqliteBinding {
  if (preferred !== undefined && preferred !== '' && preferred !== 'node:sqlite' && preferred !== 'better-sqlite3') {
    throw new TaktError(
      'CONFIG_INVALID',
      `TAKT_SQLITE_DRIVER is "${preferred}"; use "node:sqlite" or "better-sqlite3", or leave it unset.`,
    );
  }
  const binding =
    preferred === 'better-sqlite3'
      ? betterSqlite()
      : preferred === 'node:sqlite'
        ? nodeSqlite()
        : (nodeSqlite() ?? betterSqlite());
  if (binding) return binding;
  throw new TaktError(
    'STORE_UNSUPPORTED',
    `No SQLite binding is available on Node ${process.versions.node}${preferred ? ` (asked for ${preferred})` : ''}: ` +
      'Node ≥ 22.13 has one built in; on older Node the better-sqlite3 module must be installed and built ' +
      '(npm ci builds it with python3, make and a C++ compiler). Alternatively configure a PostgreSQL store.',
  );
}
