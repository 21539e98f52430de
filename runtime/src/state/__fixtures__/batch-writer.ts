/**
 * Crash-test child: commits batches (id map rows + cursor, one transaction each) as fast as it can until it
 * is killed. Batch n writes ROWS_PER_BATCH rows whose content hash is "batch-n" and moves the cursor to n.
 * It stops by itself after a minute so a lost parent cannot leave it running.
 */
import { openStoreFromArgs } from './open-store';

export const ROWS_PER_BATCH = 50;
const STREAM = 'crash-test';

async function main(): Promise<void> {
  setTimeout(() => process.exit(3), 60_000).unref();
  const store = await openStoreFromArgs(process.argv.slice(2));
  process.stdout.write('ready\n');
  for (;;) {
    const version = (await store.getCursor(STREAM))?.version ?? 0;
    const batch = version + 1;
    await store.commit({
      cursor: { stream: STREAM, expectedVersion: version, value: String(batch) },
      idMap: Array.from({ length: ROWS_PER_BATCH }, (_, i) => ({
        connection: 'crash',
        entity: 'work_order',
        source: 'test',
        externalId: `b${batch}-r${i}`,
        targetId: `T-${batch}-${i}`,
        contentHash: `batch-${batch}`,
      })),
    });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
