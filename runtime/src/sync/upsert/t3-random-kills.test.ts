import type { ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
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

const RECORDS = 10_000;
const BATCH = 100;
const KILLS = 20;
/**
 * Each of the 100 write calls takes this long to answer, as a real target's round trip does, so the run
 * outlasts the 20 kills and they fall all along it: without it an SQLite run finishes in well under a second
 * and a kill finds no process to kill. With seed 2026 the 20 kill delays add up to 10.8 s, so even a machine
 * with no start-up cost gets through at most 72 of the 100 calls before the last kill.
 */
const WRITE_LATENCY_MS = 150;
/** Kill moments after a start has opened its store: seeded, uniform in this window. */
const KILL_AFTER_MS = { min: 150, spread: 1000 };

/** A small seeded generator (mulberry32), so a failing run can be repeated kill for kill. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Resolves once the child printed "ready" (its store is open), or when it ended first. */
function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      if (seen.split('\n').includes('ready')) done();
    };
    const done = (): void => {
      child.stdout?.off('data', onData);
      resolve();
    };
    child.stdout?.on('data', onData);
    child.once('close', done);
  });
}

/**
 * ACCEPTANCE and T3: a 10,000-record upsert-sync is SIGKILLed 20 times at seeded random moments (150–1150 ms
 * after each start has opened its store, so kills land in planning, target calls and commits alike), then
 * run to the end. After every kill: the store opens and passes integrity_check, the id map holds exactly the records
 * the watermark covers (no partial batch), and the target applied nothing twice.
 */
function randomKills(openStore: () => CrashStore, seed: number): void {
  it(`${KILLS} SIGKILLs during a ${RECORDS}-record upsert: 0 lost, 0 applied twice, watermark on the last complete batch`, async () => {
    const store = openStore();
    const target = new FakeTarget([{ name: CRASH_ENTITY, keyFields: ['external_source', 'external_id'] }]);
    const served = await serveFakeTarget(target, { writeLatencyMs: WRITE_LATENCY_MS });
    const random = seeded(seed);
    const watermarks: number[] = [];
    try {
      for (let kill = 0; kill < KILLS; kill += 1) {
        const child = startChild(served, RECORDS, BATCH, store);
        const ended = childEnd(child);
        await ready(child);
        await delay(KILL_AFTER_MS.min + Math.floor(random() * KILL_AFTER_MS.spread));
        child.kill('SIGKILL');
        const end = await ended;
        expect(end.signal).toBe('SIGKILL');

        const state = await storeState(store, RECORDS);
        expect(state.integrity).toBe('ok');
        expect((state.watermark + 1) % BATCH).toBe(0);
        expect(state.mapped).toEqual(range(state.watermark + 1));
        expect(state.jobApplied).toBe(state.mapped.length);
        const held = target.records(CRASH_ENTITY).length;
        // The target may be ahead of the store by the one batch written but not committed, never more.
        expect(held - state.mapped.length).toBeGreaterThanOrEqual(0);
        expect(held - state.mapped.length).toBeLessThanOrEqual(BATCH);
        expect(targetFigures(target, served).appliedOnce).toBe(held);
        watermarks.push(state.watermark);
      }
      expect(watermarks).toEqual([...watermarks].sort((a, b) => a - b));

      const last = await childEnd(startChild(served, RECORDS, BATCH, store));
      expect(last.code).toBe(0);
      const final = await storeState(store, RECORDS);
      const figures = targetFigures(target, served);
      const lost = RECORDS - figures.applied;
      const twice = figures.applied - figures.appliedOnce;
      expect(final.integrity).toBe('ok');
      expect(final.watermark).toBe(RECORDS - 1);
      expect(final.mapped).toHaveLength(RECORDS);
      expect(final.jobApplied).toBe(RECORDS);
      expect(lost).toBe(0);
      expect(twice).toBe(0);
      expect(figures.resentWithOtherKey).toBe(0);
      expect(targetHoldsInput(target, RECORDS)).toBe(true);
      const interrupted = new Set(watermarks).size;
      expect(interrupted).toBeGreaterThan(1);
      process.stdout.write(
        `T3 [${store.kind}] ${KILLS} kills (seed ${seed}); watermark after each kill: ${watermarks.join(' ')}; ` +
          `final watermark=${final.watermark}, id map rows=${final.mapped.length}, lost=${lost}, applied twice=` +
          `${twice}, re-sent with the same key=${figures.resent}, with another key=${figures.resentWithOtherKey}, ` +
          `write calls=${figures.writeRequests}, integrity=${final.integrity}\n`,
      );
    } finally {
      await served.close();
      await store.dispose();
    }
  }, 120_000);
}

describe('T3 batch atomicity under repeated SIGKILLs [SQLite]', () => randomKills(sqliteCrashStore, 20_26));

describeWithPostgres('T3 batch atomicity under repeated SIGKILLs', () => randomKills(postgresCrashStore, 20_26));
