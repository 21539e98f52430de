import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

import { z } from 'zod';

import { TaktError } from '../errors';
import { assertStoreFitsHost, PostgresStateStore, SqliteStateStore, type StateStore } from '../state';
import { parseOrThrow } from './connection-config';

/**
 * Where Takt keeps its state for a host: the embedded SQLite file (the default, one per n8n instance or
 * Node-RED userDir) or a shared PostgreSQL database (n8n queue mode, several gateways).
 */
export type StoreConfig =
  | { readonly kind: 'sqlite'; readonly file?: string }
  | { readonly kind: 'postgres'; readonly connectionString: string; readonly schema?: string };

export const DEFAULT_STORE_FILE = 'takt-state.sqlite';

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

export const storeConfigSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('sqlite'), file: optionalText }),
    z.object({
      kind: z.literal('postgres'),
      connectionString: z
        .string({ error: 'Connection String is required for PostgreSQL' })
        .trim()
        .regex(/^postgres(ql)?:\/\//i, 'Connection String must start with postgres:// or postgresql://'),
      schema: optionalText.pipe(
        z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'Schema must be a plain identifier (letters, digits, _)')
          .optional(),
      ),
    }),
  ],
  { error: 'Store Type must be "sqlite" or "postgres"' },
);

/** Validates a store config; a bad field fails as CONFIG_INVALID naming it, never echoing the connection string. */
export function parseStoreConfig(input: unknown): StoreConfig {
  const parsed = parseOrThrow(storeConfigSchema, input, 'state store');
  if (parsed.kind === 'sqlite') return parsed.file ? { kind: 'sqlite', file: parsed.file } : { kind: 'sqlite' };
  return {
    kind: 'postgres',
    connectionString: parsed.connectionString,
    ...(parsed.schema ? { schema: parsed.schema } : {}),
  };
}

export interface OpenStoreOptions {
  /** Where the default SQLite file goes (n8n: defaultN8nStoreDir; Node-RED: the userDir); created if missing. */
  readonly defaultDir: string;
  /** The host's environment, for the queue-mode check. Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

/** The SQLite file a config resolves to: the configured path (relative to `defaultDir`) or the default file. */
export function sqliteFileOf(config: { readonly file?: string }, defaultDir: string): string {
  if (!config.file) return join(defaultDir, DEFAULT_STORE_FILE);
  if (config.file === ':memory:') return config.file;
  return isAbsolute(config.file) ? config.file : resolve(defaultDir, config.file);
}

/**
 * Opens (and migrates) the configured store. Refuses SQLite where several workers would each hold a private
 * copy (n8n queue mode) before touching any file.
 */
export async function openStore(config: StoreConfig, options: OpenStoreOptions): Promise<StateStore> {
  assertStoreFitsHost(config.kind, options.env ?? process.env);
  if (config.kind === 'postgres') {
    return PostgresStateStore.open({
      connectionString: config.connectionString,
      ...(config.schema ? { schema: config.schema } : {}),
    });
  }
  const file = sqliteFileOf(config, options.defaultDir);
  if (file !== ':memory:') {
    try {
      mkdirSync(config.file ? resolve(file, '..') : options.defaultDir, { recursive: true });
    } catch (error) {
      throw new TaktError(
        'CONFIG_INVALID',
        `Cannot create the folder for the SQLite state file ${file}: ${(error as Error).message}. ` +
          'Set a writable SQLite File in the state store settings.',
        { cause: error },
      );
    }
  }
  return SqliteStateStore.open({ file });
}

/** n8n's user folder as n8n resolves it: `$N8N_USER_FOLDER/.n8n`, else `~/.n8n`. */
export function defaultN8nStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.N8N_USER_FOLDER && env.N8N_USER_FOLDER.trim() !== '' ? env.N8N_USER_FOLDER : homedir();
  return join(base, '.n8n');
}
