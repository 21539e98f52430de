import { MesRestConnector, mesSyncApiProfile, type RetryPolicy, type StateStore } from '@takt/runtime';
import { MemoryStateStore, SqliteStateStore } from '@takt/runtime';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MES_KEY = 'mes_fault_canary_5f1e';
let sequence = 0;

/** A MES REST connector on the mock; `connectionId` shared means one limiter and one Retry-After pause. */
export function mesConnector(
  url: string,
  options: {
    connectionId?: string;
    retry?: Partial<RetryPolicy>;
    rateLimit?: { limit: number; periodMs: number };
  } = {},
): MesRestConnector {
  sequence += 1;
  return new MesRestConnector(
    mesSyncApiProfile({
      connectionId: options.connectionId ?? `fault-${process.pid}-${sequence}`,
      baseUrl: url,
      apiKey: MES_KEY,
      http: {
        retry: { jitter: 'none', baseDelayMs: 100, maxDelayMs: 30_000, ...options.retry },
        ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
      },
    }),
  );
}

/** A real SQLite store in a temporary folder, or memory; `dispose` closes and removes it. */
export async function tempStore(kind: 'memory' | 'sqlite'): Promise<{ store: StateStore; dispose(): Promise<void> }> {
  if (kind === 'memory') {
    const store = new MemoryStateStore();
    return { store, dispose: () => store.close() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'takt-fault-'));
  const store = await SqliteStateStore.open({ file: join(dir, 'state.db') });
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
