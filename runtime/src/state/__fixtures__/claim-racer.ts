/**
 * Concurrency child: waits until an agreed start time, then claims keys 0..n-1 (all at once) and prints the
 * keys it won as JSON. Two of these on one store must split the keys with no overlap and no gap.
 * Arguments: <owner> <keys> <startAtEpochMs> <store args…>
 */
import { openStoreFromArgs } from './open-store';

async function main(): Promise<void> {
  setTimeout(() => process.exit(3), 60_000).unref();
  const [owner, count, startAt, ...storeArgs] = process.argv.slice(2);
  const store = await openStoreFromArgs(storeArgs);
  const keys = Array.from({ length: Number(count) }, (_, i) => `key-${i}`);
  while (Date.now() < Number(startAt)) {
    // Spin to the start line: a timer would add up to a few ms of skew between the two racers.
  }
  const results = await Promise.all(keys.map((key) => store.claim('race', key, String(owner), 60_000)));
  const won = keys.filter((_, i) => results[i]?.status === 'claimed');
  await store.close();
  process.stdout.write(`${JSON.stringify(won)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
