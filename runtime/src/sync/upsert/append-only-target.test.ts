import type { Connector, EntityDescriptor, WriteItem, WriteOptions, WriteResult } from '../../connectors';
import { TaktError } from '../../errors';
import { MemoryStateStore } from '../../state';
import { CONNECTION, SOURCE, makeTarget, workOrders } from './__fixtures__/upsert-harness';
import { upsertSync } from './upsert-sync';

/**
 * An append-only target (SAP production order confirmations: create, no update, no upsert): new records are
 * created, a re-sent one is unchanged without a call, and a changed one is refused per record, because such a
 * target cannot update what it holds.
 */
function appendOnly(): { connector: Connector; modes: string[] } {
  const inner = makeTarget();
  const modes: string[] = [];
  const connector: Connector = {
    kind: 'append-only',
    test: () => inner.test(),
    entities: (): readonly EntityDescriptor[] =>
      inner.entities().map((descriptor) => ({
        ...descriptor,
        capabilities: { read: true, create: true, update: false, delete: false, upsert: false, batch: true },
      })),
    read: (entity, options) => inner.read(entity, options),
    write: (entity: string, records: readonly WriteItem[], options: WriteOptions): Promise<WriteResult[]> => {
      modes.push(options.mode);
      if (options.mode !== 'create') {
        return Promise.reject(new TaktError('CONFIG_INVALID', `${entity} does not support ${options.mode}.`));
      }
      return inner.write(entity, records, options);
    },
    close: () => inner.close(),
  };
  return { connector, modes };
}

describe('upsertSync to an append-only target', () => {
  it('creates new records with create calls, skips resends, and refuses changes per record', async () => {
    const store = new MemoryStateStore();
    const { connector, modes } = appendOnly();
    const run = (records: Record<string, unknown>[]) =>
      upsertSync({ store, connector, connection: CONNECTION, entity: 'work_order', records });

    const first = await run(workOrders(3));
    expect(first.results.map((r) => [r.action, r.targetId])).toEqual([
      ['created', 'T1'],
      ['created', 'T2'],
      ['created', 'T3'],
    ]);
    expect(modes).toEqual(['create']);

    const again = await run(workOrders(3));
    expect(again.results.map((r) => r.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(modes).toEqual(['create']);

    const changed = workOrders(4);
    changed[1] = { ...changed[1], quantity: '99.000' };
    const mixed = await run(changed);
    expect(mixed.results.map((r) => r.action)).toEqual(['unchanged', 'error', 'unchanged', 'created']);
    expect(mixed.results[1]?.error).toMatchObject({ code: 'CONFIG_INVALID', retryable: false });
    expect(mixed.results[1]?.error?.message).toContain('does not support update');
    expect(modes).toEqual(['create', 'create', 'update']);
    const mapped = await store.getIdMappings({ connection: CONNECTION, entity: 'work_order', source: SOURCE }, [
      'WO-000003',
    ]);
    expect(mapped.get('WO-000003')?.targetId).toBe('T4');
  });
});
