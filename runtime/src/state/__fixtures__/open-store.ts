import { PostgresStateStore } from '../postgres/postgres-state-store';
import { SqliteStateStore } from '../sqlite/sqlite-state-store';
import type { StateStore } from '../types';

/** Child-process fixtures name their store on the command line: `sqlite <file>` or `postgres <url> <schema>`. */
export function openStoreFromArgs(args: readonly string[]): Promise<StateStore> {
  const [kind, location, schema] = args;
  if (kind === 'sqlite' && location) return SqliteStateStore.open({ file: location });
  if (kind === 'postgres' && location) return PostgresStateStore.open({ connectionString: location, schema });
  throw new Error(`usage: sqlite <file> | postgres <url> <schema> (got ${args.join(' ')})`);
}
