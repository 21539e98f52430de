import type { Page } from '../../connectors';
import { FakeClock } from '../../time';
import { describeEachStore } from './__fixtures__/stores';
import { MINUTE, handedOut, pullOptions, storedCursor, tokenOf } from './__fixtures__/pull-harness';
import { ScriptedSource } from './__fixtures__/scripted-source';
import { acknowledgeDelivery } from './acknowledge';
import { pullChanges } from './pull-changes';

const SECOND = 1_000;

describeEachStore('T8 duplicates and ties inside and across pages (pull side)', (open) => {
  it('X read twice ends at v2 once; overlapping pages and unchanged records hand out nothing; a late tie is picked up', async () => {
    const clock = new FakeClock();
    const { store } = await open(clock);
    const iso = (ms: number): string => new Date(ms).toISOString();
    const t = clock.now() - 20 * MINUTE;
    const A = { id: 'A', qty: 1, updatedAt: iso(t - MINUTE) };
    const X1 = { id: 'X', qty: 1, updatedAt: iso(t) };
    const B = { id: 'B', qty: 1, updatedAt: iso(t) };
    const X2 = { id: 'X', qty: 2, updatedAt: iso(t + SECOND) };
    const C = { id: 'C', qty: 1, updatedAt: iso(t + SECOND) };
    const L = { id: 'L', qty: 1, updatedAt: iso(t + SECOND) };
    const script = (call: number): Page[] =>
      call === 1
        ? // The second page repeats B: the source's `ge` cursor is inclusive.
          [
            { records: [A, X1, B], cursor: X1.updatedAt },
            { records: [B, X2, C], cursor: X2.updatedAt },
          ]
        : // Later: the same records again, plus L, committed late at the source with the watermark's value.
          [{ records: [B, X2, C, L], cursor: L.updatedAt }];
    const source = new ScriptedSource((_options, call) => script(call));
    const options = pullOptions(store, source, clock, { lookbackMs: 5 * MINUTE });

    const first = await pullChanges(options);
    expect(handedOut(first)).toEqual(['A', 'B', 'X', 'C']);
    const x = first.status === 'delivered' ? first.delivery.records.find((r) => r.externalId === 'X') : undefined;
    expect(x?.data).toEqual(X2);
    expect(first).toMatchObject({ stats: { read: 6, emitted: 4 } });
    await acknowledgeDelivery(store, tokenOf(first));
    expect((await storedCursor(store)).watermark).toEqual({ kind: 'instant', ms: t + SECOND, dateOnly: false });

    const second = await pullChanges(options);
    expect(source.reads[1]?.since).toBe(iso(t + SECOND - 5 * MINUTE));
    expect(handedOut(second)).toEqual(['L']);
    expect(second).toMatchObject({ stats: { read: 4, unchanged: 3, emitted: 1 } });
    process.stdout.write(
      `T8: first pull read 6 handed out 4 (X once at v2); second read 4, unchanged 3, late tie L handed out\n`,
    );
  });
});
