/**
 * Crash-test child (T2): drains the outbox of connection "t2" into the FakeTargetServer at <url>.
 * `node push-child.js crash <url> <store args>`: after the first write the target acknowledged, prints
 * "written" and hangs before the outbox is marked, so the parent can SIGKILL it there.
 * `node push-child.js run <url> <store args>`: drains and prints the push summary as one JSON line.
 * It stops by itself after a minute so a lost parent cannot leave it running.
 */
import type { Connector } from '../../connectors';
import { openStoreFromArgs } from '../../state/__fixtures__/open-store';
import { OutboxPusher } from '../outbox-pusher';
import { HttpTargetConnector } from './http-target-connector';

export const T2_CONNECTION = 't2';
export const T2_LEASE_MS = 1_500;

function hangAfterFirstWrite(inner: Connector): Connector {
  return {
    kind: inner.kind,
    test: (options) => inner.test(options),
    entities: () => inner.entities(),
    read: (entity, options) => inner.read(entity, options),
    close: () => inner.close(),
    async write(entity, records, options) {
      await inner.write(entity, records, options);
      process.stdout.write('written\n');
      return new Promise(() => undefined);
    },
  };
}

async function main(): Promise<void> {
  setTimeout(() => process.exit(3), 60_000).unref();
  const [mode, url, ...storeArgs] = process.argv.slice(2);
  if ((mode !== 'crash' && mode !== 'run') || !url) throw new Error('usage: crash|run <url> <store args>');
  const store = await openStoreFromArgs(storeArgs);
  const http = new HttpTargetConnector({ id: `t2-${process.pid}`, baseUrl: url, retry: { maxAttempts: 1 } });
  const pusher = new OutboxPusher({
    store,
    connector: mode === 'crash' ? hangAfterFirstWrite(http) : http,
    connection: T2_CONNECTION,
    entity: 'orders',
    leaseMs: T2_LEASE_MS,
    retry: { baseDelayMs: 100, maxDelayMs: 500 },
  });
  process.stdout.write('ready\n');
  const summary = await pusher.run({ idleMs: 100 });
  process.stdout.write(`${JSON.stringify({ sent: summary.sent, retried: summary.retried, job: summary.job })}\n`);
  await http.close();
  await store.close();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
