import { FakeTarget } from '../../testing/fake-target';
import { describeWithPostgres } from '../../testing/services';
import {
  childEnd,
  postgresCrashStore,
  range,
  sqliteCrashStore,
  startChild,
  storeState,
  targetFigures,
  targetHoldsInput,
  type CrashStore,
} from './__fixtures__/crash-harness';
import { CRASH_ENTITY } from './__fixtures__/crash-input';
import { serveFakeTarget } from './__fixtures__/fake-target-http';

const RECORDS = 1_000;
const BATCH = 100;
const AT = 500;

/**
 * The fault points of one batch and what the store may hold after a kill at record 500 (batch 500–599):
 * the cursor and the id map move together in one commit, so "after the local commit, before the watermark"
 * does not exist as a separate moment; what remains of it is a kill right after that one commit.
 *
 * A kill inside the commit has two correct outcomes. The probe sees the transaction open, but by the time the
 * signal lands the client may already have sent COMMIT, which PostgreSQL then completes (seen on a loaded
 * machine). What must hold is atomicity: the whole batch or none of it, the cursor and the id map together.
 */
const FAULTS = [
  { point: 'after_mapping', committedThrough: [499], targetHolds: 500 },
  { point: 'after_target_write', committedThrough: [499], targetHolds: 600 },
  { point: 'inside_commit', committedThrough: [499, 599], targetHolds: 600 },
  { point: 'after_commit', committedThrough: [599], targetHolds: 600 },
] as const;

function crashStages(openStore: () => CrashStore): void {
  it.each(FAULTS)(
    'SIGKILL $point at record 500, restart: each record applied once, no loss, watermark never ahead',
    async ({ point, committedThrough: allowed, targetHolds }) => {
      const store = openStore();
      const target = new FakeTarget([{ name: CRASH_ENTITY, keyFields: ['external_source', 'external_id'] }]);
      const served = await serveFakeTarget(target);
      try {
        const crashed = await childEnd(startChild(served, RECORDS, BATCH, store, `${point}:${AT}`));
        expect(crashed.signal).toBe('SIGKILL');
        expect(crashed.lines).toContain(`fault ${point} observed`);

        const afterCrash = await storeState(store, RECORDS);
        expect(afterCrash.integrity).toBe('ok');
        expect(allowed).toContain(afterCrash.watermark);
        const committedThrough = afterCrash.watermark;
        // State after data: the id map holds exactly the records the cursor covers, none beyond it.
        expect(afterCrash.mapped).toEqual(range(committedThrough + 1));
        expect(afterCrash.jobApplied).toBe(committedThrough + 1);
        expect(target.records(CRASH_ENTITY)).toHaveLength(targetHolds);

        const resumed = await childEnd(startChild(served, RECORDS, BATCH, store));
        expect(resumed.code).toBe(0);
        expect(resumed.lines.some((line) => line.startsWith('done '))).toBe(true);

        const final = await storeState(store, RECORDS);
        expect(final.integrity).toBe('ok');
        expect(final.watermark).toBe(RECORDS - 1);
        expect(final.mapped).toEqual(range(RECORDS));
        expect(final.jobApplied).toBe(RECORDS);
        const figures = targetFigures(target, served);
        expect(figures).toMatchObject({ applied: RECORDS, appliedOnce: RECORDS, resentWithOtherKey: 0 });
        // Only the batch written but not committed is sent again, each record with its first key.
        expect(figures.resent).toBe(targetHolds - (committedThrough + 1));
        expect(targetHoldsInput(target, RECORDS)).toBe(true);
        process.stdout.write(
          `T1 [${store.kind}] ${point}: after the kill watermark=${afterCrash.watermark}, id map rows=` +
            `${afterCrash.mapped.length}, target records=${targetHolds}; after restart effects=${target.totalEffects()}` +
            ` (each key once: ${figures.appliedOnce}), re-sent with the same key=${figures.resent}, write calls=` +
            `${figures.writeRequests}, integrity=${final.integrity}\n`,
        );
      } finally {
        await served.close();
        await store.dispose();
      }
    },
    60_000,
  );
}

describe('T1 kill mid-batch at every stage boundary [SQLite]', () => crashStages(sqliteCrashStore));

describeWithPostgres('T1 kill mid-batch at every stage boundary', () => crashStages(postgresCrashStore));
