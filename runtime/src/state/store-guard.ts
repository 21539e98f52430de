import { TaktError } from '../errors';

/**
 * Refuses the embedded SQLite store where several processes would share state through it. n8n in queue mode
 * runs executions on separate workers (often separate machines): each would open its own SQLite file, and
 * cursors, claims and leases would silently diverge — duplicates and lost records. n8n itself does not support
 * SQLite in queue mode. Hosts call this before opening a store.
 */
export function assertStoreFitsHost(
  storeKind: 'memory' | 'sqlite' | 'postgres',
  env: NodeJS.ProcessEnv = process.env,
): void {
  if (storeKind === 'postgres') return;
  if (env.EXECUTIONS_MODE === 'queue') {
    throw new TaktError(
      'STORE_UNSUPPORTED',
      `n8n runs in queue mode (EXECUTIONS_MODE=queue), where several workers execute workflows; a ${storeKind} ` +
        'state store would be private to each worker, so cursors, dedup claims and leases would diverge. ' +
        'Configure the PostgreSQL state store in the Takt store credential.',
    );
  }
}
