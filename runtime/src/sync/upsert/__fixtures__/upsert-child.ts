/**
 * Crash-test child: upserts records n..N-1 (n = one past the stored watermark) into a FakeTarget served by
 * the test process, in batches, under a job, moving the stream cursor with each batch. It is killed by the
 * test at random moments, or kills itself at a fault point: TAKT_FAULT_AT=<point>:<record index> with point
 * after_mapping | after_target_write | inside_commit | after_commit, reached by the batch holding that record.
 * Arguments: <target url> <records> <batch size> sqlite <file> | postgres <url> <schema>.
 * Prints "ready" once the store is open, "fault <point> observed" before killing itself, "done" at the end.
 */
import { startJob } from '../../../jobs';
import type { CommitUnit, StateStore } from '../../../state';
import { upsertSync } from '../upsert-sync';
import type { UpsertStage } from '../types';
import {
  CRASH_CONNECTION,
  CRASH_DESCRIPTORS,
  CRASH_ENTITY,
  CRASH_STREAM,
  crashExternalId,
  crashRecord,
} from './crash-input';
import { HttpFakeTargetClient } from './fake-target-http';
import { openChildStore } from './child-store';

const STAGE_FAULTS: Readonly<Record<string, UpsertStage>> = {
  after_mapping: 'planned',
  after_target_write: 'written',
  after_commit: 'committed',
};

function die(point: string, observed: boolean): never {
  process.stdout.write(`fault ${point} ${observed ? 'observed' : 'missed'}\n`);
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}

async function main(): Promise<void> {
  setTimeout(() => process.exit(3), 60_000).unref();
  const [url, count, batchSize, ...storeArgs] = process.argv.slice(2);
  if (!url) throw new Error('usage: <target url> <records> <batch size> <store args…>');
  const opened = await openChildStore(storeArgs);
  const [point, at] = (process.env.TAKT_FAULT_AT ?? '').split(':');
  const faultIndex = Number(at);
  let store: StateStore = opened.store;
  if (point === 'inside_commit') store = killInsideCommit(opened.store, opened.probe, crashExternalId(faultIndex));
  process.stdout.write('ready\n');

  const watermark = await store.getCursor(CRASH_STREAM);
  const start = watermark ? Number(watermark.value) + 1 : 0;
  const records = Array.from({ length: Math.max(0, Number(count) - start) }, (_, i) => crashRecord(start + i));
  const job = await startJob(store, {
    connection: CRASH_CONNECTION,
    entity: CRASH_ENTITY,
    kind: 'push',
    direction: 'outbound',
    total: records.length,
  });
  const result = await upsertSync({
    store,
    connector: new HttpFakeTargetClient(url, CRASH_DESCRIPTORS),
    connection: CRASH_CONNECTION,
    entity: CRASH_ENTITY,
    records,
    batchSize: Number(batchSize),
    job,
    stream: { name: CRASH_STREAM, cursorOf: (record) => String(record.seq) },
    onStage: (stage, batch) => {
      const index = faultIndex - start;
      if (STAGE_FAULTS[point ?? ''] === stage && batch.firstIndex <= index && index <= batch.lastIndex) {
        die(point ?? '', true);
      }
    },
  });
  await job.finish();
  await opened.close();
  process.stdout.write(`done ${JSON.stringify(result.summary)}\n`);
}

/** Kills the process while the commit holding `externalId` is inside its transaction (seen by a probe). */
function killInsideCommit(inner: StateStore, probe: () => Promise<boolean>, externalId: string): StateStore {
  return new Proxy(inner, {
    get(target, name, receiver) {
      if (name === 'commit') {
        return async (unit: CommitUnit) => {
          if (!unit.idMap?.some((row) => row.externalId === externalId)) return target.commit(unit);
          let settled = false;
          const pending = target.commit(unit).finally(() => (settled = true));
          pending.catch(() => undefined);
          while (!settled) {
            if (await probe()) die('inside_commit', true);
          }
          die('inside_commit', false);
        };
      }
      const value: unknown = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
