import type { Page } from '../../connectors';
import { FakeClock } from '../../time';
import { describeEachStore } from './__fixtures__/stores';
import {
  MINUTE,
  capturingLogger,
  handedOut,
  pullOptions,
  storedCursor,
  tokenOf,
  watermarkMs,
} from './__fixtures__/pull-harness';
import { ScriptedSource } from './__fixtures__/scripted-source';
import { acknowledgeDelivery } from './acknowledge';
import { pullChanges } from './pull-changes';

const SAFETY_LAG = MINUTE;

describeEachStore('T10 out-of-order and clock-skewed source cursors', (open) => {
  it('skips nothing, keeps the watermark at or below now − safety lag, hands out the future record with a warning', async () => {
    const clock = new FakeClock();
    const { store } = await open(clock);
    const { logger, records: logs } = capturingLogger();
    const row = (id: string, offsetMs: number): Record<string, unknown> => ({
      id,
      updatedAt: new Date(clock.now() + offsetMs).toISOString(),
    });
    // One page, out of order, with one record ten minutes in the future.
    const rows = [row('r1', -10 * MINUTE), row('r2', -20 * MINUTE), row('F', 10 * MINUTE), row('r3', -5 * MINUTE)];
    const source = new ScriptedSource((options): Page[] => [
      {
        records: rows.filter(
          (r) => options.since === undefined || Date.parse(String(r.updatedAt)) >= Date.parse(options.since),
        ),
      },
    ]);
    const options = pullOptions(store, source, clock, { safetyLagMs: SAFETY_LAG, lookbackMs: 5 * MINUTE, logger });

    const first = await pullChanges(options);
    expect(handedOut(first)).toEqual(['r1', 'r2', 'F', 'r3']);
    const warnings = logs.filter((log) => log.level === 'warn');
    expect(warnings.map((log) => [log.msg, log.externalId])).toEqual([
      ['record dated in the future: handed out, but the watermark does not follow it', 'F'],
    ]);
    await acknowledgeDelivery(store, tokenOf(first));
    const afterFirst = watermarkMs(await storedCursor(store)) ?? 0;
    expect(afterFirst).toBe(clock.now() - SAFETY_LAG);

    // 30 s later the source's clock has jumped back two minutes: a new record is dated below the watermark.
    await clock.advance(30_000);
    rows.push(row('S', -2 * MINUTE));
    expect(Date.parse(String(rows[4]?.updatedAt))).toBeLessThan(afterFirst);
    const second = await pullChanges(options);
    expect(handedOut(second)).toEqual(['S']);
    await acknowledgeDelivery(store, tokenOf(second));
    const afterSecond = watermarkMs(await storedCursor(store)) ?? 0;
    expect(afterSecond).toBeGreaterThanOrEqual(afterFirst);
    expect(afterSecond).toBeLessThanOrEqual(clock.now() - SAFETY_LAG);
    expect(logs.filter((log) => log.level === 'warn')).toHaveLength(1);
    process.stdout.write(
      `T10: 5 of 5 records handed out; watermark ${new Date(afterSecond).toISOString()} = now − ` +
        `${(clock.now() - afterSecond) / 1000} s; future record F warned once\n`,
    );
  });
});
