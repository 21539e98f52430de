import { MemoryStateStore } from '../../state';
import { CONNECTION, SOURCE, makeTarget, options, workOrder, writeCalls } from './__fixtures__/upsert-harness';
import type { ConflictStrategy } from './types';
import { upsertSync } from './upsert-sync';

const KEY = `${SOURCE}|WO-000001`;
const T0 = '2026-01-01T08:00:00.000Z';
const EARLY = '2026-01-01T09:00:00.000Z';
const LATE = '2026-01-01T10:00:00.000Z';

/**
 * One record synced, then changed on the target behind our back (`targetEdit`) and in the source
 * (`sourceEdit`); returns what the next upsert under `strategy` did.
 */
async function diverge(
  strategy: ConflictStrategy,
  targetEdit: Readonly<Record<string, unknown>> | undefined,
  sourceEdit: Readonly<Record<string, unknown>>,
) {
  const store = new MemoryStateStore();
  const target = makeTarget();
  const original = workOrder(1, { notes: 'n0', changed_at: T0 });
  await upsertSync(options(store, target, [original]));
  if (targetEdit) target.put('work_order', { ...original, ...targetEdit });
  const source = { ...original, ...sourceEdit };
  const run = () => upsertSync(options(store, target, [source], { strategy }));
  const result = await run();
  return { store, target, source, result, run, held: () => target.get('work_order', KEY)?.data };
}

describe('conflict strategies with the target changed behind our back', () => {
  const targetEdit = { notes: 'edited on the shop floor', changed_at: EARLY };
  const sourceEdit = { quantity: '2.000', changed_at: LATE };

  it('source_wins writes the source record without reading the target', async () => {
    const { result, held } = await diverge('source_wins', targetEdit, sourceEdit);
    expect(result.results[0]).toMatchObject({ action: 'updated', targetId: 'T1' });
    expect(result.summary.readCalls).toBe(0);
    expect(held()).toMatchObject({ notes: 'n0', quantity: '2.000' });
  });

  it('target_wins keeps the target record, reports skipped once, then unchanged without a read', async () => {
    const { result, held, run, target } = await diverge('target_wins', targetEdit, sourceEdit);
    expect(result.results[0]).toMatchObject({ action: 'skipped', targetId: 'T1' });
    expect(result.results[0]?.reason).toMatch(/target changed .*notes.*target_wins keeps/);
    expect(held()).toMatchObject({ notes: 'edited on the shop floor', quantity: '1.000' });
    expect(writeCalls(target)).toBe(1);
    const again = await run();
    expect(again.results[0]?.action).toBe('unchanged');
    expect(again.summary).toMatchObject({ readCalls: 0, writeCalls: 0 });
  });

  it('newest_wins keeps a newer target change and writes a newer source change', async () => {
    const targetNewer = await diverge(
      'newest_wins',
      { notes: 'x', changed_at: LATE },
      { quantity: '2.000', changed_at: EARLY },
    );
    expect(targetNewer.result.results[0]?.action).toBe('skipped');
    expect(targetNewer.result.results[0]?.reason).toMatch(/newest_wins keeps the target/);
    expect(targetNewer.held()).toMatchObject({ notes: 'x', quantity: '1.000' });

    const sourceNewer = await diverge('newest_wins', targetEdit, sourceEdit);
    expect(sourceNewer.result.results[0]?.action).toBe('updated');
    expect(sourceNewer.held()).toMatchObject({ notes: 'n0', quantity: '2.000', changed_at: LATE });
  });

  it('newest_wins without a source modified time reports a conflict', async () => {
    const { result } = await diverge('newest_wins', targetEdit, { quantity: '2.000', changed_at: undefined });
    expect(result.results[0]).toMatchObject({ action: 'conflict', error: { code: 'SYNC_CONFLICT' } });
  });

  it('merge applies the fields only the source changed and keeps the fields only the target changed', async () => {
    const { result, held } = await diverge('merge', targetEdit, sourceEdit);
    expect(result.results[0]).toMatchObject({ action: 'updated', targetId: 'T1' });
    expect(held()).toMatchObject({ notes: 'edited on the shop floor', quantity: '2.000', changed_at: LATE });
  });

  it('merge keeps the target value where both changed a field, reports it once, applies the rest', async () => {
    const { result, held, run, target, store, source } = await diverge(
      'merge',
      { quantity: '5.000', changed_at: EARLY },
      { quantity: '2.000', order_number: 'NEW-1', changed_at: LATE },
    );
    expect(result.results[0]).toMatchObject({ action: 'conflict', error: { code: 'SYNC_CONFLICT' } });
    expect(result.results[0]?.error?.message).toMatch(/both changed quantity of WO-000001; merge kept the target/);
    expect(held()).toMatchObject({ quantity: '5.000', order_number: 'NEW-1' });
    const writes = writeCalls(target);
    const again = await run();
    expect(again.results[0]?.action).toBe('unchanged');
    expect(writeCalls(target)).toBe(writes);

    // Later the source changes the field again and the target does not: now the source's value applies,
    // and the field the target kept stays the target's.
    const later = await upsertSync(options(store, target, [{ ...source, quantity: '3.000' }], { strategy: 'merge' }));
    expect(later.results[0]?.action).toBe('updated');
    expect(held()).toMatchObject({ quantity: '3.000', order_number: 'NEW-1' });
  });

  it('merge: fields kept from the target in an earlier merge stay when the source changes others', async () => {
    const { held, store, target, source } = await diverge('merge', targetEdit, sourceEdit);
    const later = await upsertSync(options(store, target, [{ ...source, quantity: '4.000' }], { strategy: 'merge' }));
    expect(later.results[0]?.action).toBe('updated');
    expect(held()).toMatchObject({ notes: 'edited on the shop floor', quantity: '4.000' });
  });

  it('manual writes nothing and reports the conflict on every run', async () => {
    const { result, held, run, target } = await diverge('manual', targetEdit, sourceEdit);
    expect(result.results[0]).toMatchObject({ action: 'conflict', targetId: 'T1', error: { code: 'SYNC_CONFLICT' } });
    expect(held()).toMatchObject({ notes: 'edited on the shop floor', quantity: '1.000' });
    expect(writeCalls(target)).toBe(1);
    expect((await run()).results[0]?.action).toBe('conflict');
    expect(writeCalls(target)).toBe(1);
  });

  it.each<ConflictStrategy>(['target_wins', 'newest_wins', 'merge', 'manual'])(
    '%s: a change on the source side only is an update after one read',
    async (strategy) => {
      const { result, held } = await diverge(strategy, undefined, sourceEdit);
      expect(result.results[0]?.action).toBe('updated');
      expect(result.summary.readCalls).toBe(1);
      expect(held()).toMatchObject({ quantity: '2.000', notes: 'n0' });
    },
  );

  it.each<ConflictStrategy>(['target_wins', 'merge', 'manual'])(
    '%s: a target already holding the new source record is unchanged, with no write',
    async (strategy) => {
      const { result, target, run } = await diverge(strategy, sourceEdit, sourceEdit);
      expect(result.results[0]?.action).toBe('unchanged');
      expect(writeCalls(target)).toBe(1);
      expect((await run()).summary.readCalls).toBe(0);
    },
  );

  it('a record deleted on the target is written again, even under target_wins', async () => {
    const store = new MemoryStateStore();
    const first = makeTarget();
    await upsertSync(options(store, first, [workOrder(1)]));
    const emptied = makeTarget();
    const result = await upsertSync(
      options(store, emptied, [workOrder(1, { quantity: '3.000' })], { strategy: 'target_wins' }),
    );
    expect(result.results[0]?.action).toBe('created');
    expect(emptied.get('work_order', KEY)?.data.quantity).toBe('3.000');
  });

  it('an id map row without field digests counts every differing field as changed on both sides', async () => {
    const store = new MemoryStateStore();
    const target = makeTarget();
    await upsertSync(options(store, target, [workOrder(1)]));
    await store.commit({
      idMap: [
        {
          connection: CONNECTION,
          entity: 'work_order',
          source: SOURCE,
          externalId: 'WO-000001',
          targetId: 'T1',
          contentHash: 'written-by-something-else',
          sourceVersion: T0,
        },
      ],
    });
    const result = await upsertSync(
      options(store, target, [workOrder(1, { quantity: '2.000' })], { strategy: 'target_wins' }),
    );
    expect(result.results[0]?.action).toBe('skipped');
    expect(target.get('work_order', KEY)?.data.quantity).toBe('1.000');
  });
});
