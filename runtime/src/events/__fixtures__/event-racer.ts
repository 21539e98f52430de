/**
 * T6 child: one worker of two that receive the same events at the same moment. It opens the shared store,
 * prints "ready", waits for the go file (the barrier both workers wait on), then hands all events to its
 * EventIntake at once. The handler's effect is a row in the test's own effects table (PostgreSQL) and an
 * entry in the printed list. Prints one JSON line: its tally and the ids it applied.
 * Arguments: <owner> <events> <goFile> <store args…>
 */
import { existsSync } from 'node:fs';
import { Pool } from 'pg';
import { openStoreFromArgs } from '../../state/__fixtures__/open-store';
import { EventIntake } from '../event-intake';
import type { ProcessResult } from '../intake-types';

async function main(): Promise<void> {
  setTimeout(() => process.exit(3), 60_000).unref();
  const [owner = 'worker', count, goFile = '', ...storeArgs] = process.argv.slice(2);
  const store = await openStoreFromArgs(storeArgs);
  const [kind, url, schema] = storeArgs;
  const effects = kind === 'postgres' && url ? new Pool({ connectionString: url, max: 4 }) : undefined;
  const intake = new EventIntake(store, {
    scope: 't6',
    owner,
    inProgressWaitMs: 30_000,
    inProgressPollMs: 10,
  });
  const events = Array.from({ length: Number(count) }, (_, n) => ({ id: `evt-${n}`, payload: { n } }));
  const applied: string[] = [];
  process.stdout.write('ready\n');
  while (!existsSync(goFile)) await new Promise((resolve) => setTimeout(resolve, 1));

  const results = await Promise.all(
    events.map((event) =>
      intake.process(event, async () => {
        if (effects) {
          await effects.query(`INSERT INTO "${schema ?? ''}".t6_effects (event_id, worker) VALUES ($1, $2)`, [
            event.id,
            owner,
          ]);
        }
        applied.push(event.id);
      }),
    ),
  );
  const tally: Partial<Record<ProcessResult['status'], number>> = {};
  for (const result of results) tally[result.status] = (tally[result.status] ?? 0) + 1;
  await effects?.end();
  await store.close();
  process.stdout.write(`${JSON.stringify({ owner, tally, applied })}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
