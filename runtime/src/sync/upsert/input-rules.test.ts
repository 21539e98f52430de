import { startJob } from '../../jobs';
import { MemoryStateStore } from '../../state';
import { FakeClock } from '../../time';
import { describeEachStore } from '../pull/__fixtures__/stores';
import { CONNECTION, SOURCE, makeTarget, options, workOrder, writeCalls } from './__fixtures__/upsert-harness';
import { upsertSync } from './upsert-sync';

describeEachStore('T8 duplicates inside one input (push side)', (open) => {
  it('the later version wins with one upsert, the earlier is skipped naming it, unchanged records are not sent', async () => {
    const { store } = await open(new FakeClock());
    const target = makeTarget();
    await upsertSync(options(store, target, [workOrder(1), workOrder(2)]));
    const writesBefore = writeCalls(target);

    const x1 = workOrder(9, { quantity: '1.000', changed_at: '2026-01-01T10:00:00.000Z' });
    const x2 = workOrder(9, { quantity: '2.000', changed_at: '2026-01-01T10:00:01.000Z' });
    const result = await upsertSync(options(store, target, [x1, workOrder(1), x2, workOrder(2)]));

    expect(result.results.map((r) => [r.index, r.action])).toEqual([
      [0, 'skipped'],
      [1, 'unchanged'],
      [2, 'created'],
      [3, 'unchanged'],
    ]);
    expect(result.results[0]?.reason).toMatch(/later record of the input \(at 2\) has the same key/);
    expect(writeCalls(target) - writesBefore).toBe(1);
    expect(target.requests[target.requests.length - 1]).toMatchObject({ kind: 'write', records: 1 });
    expect(target.get('work_order', `${SOURCE}|WO-000009`)?.data).toMatchObject({ quantity: '2.000' });
    expect(target.effects.get(`work_order/${SOURCE}|WO-000009`)).toBe(1);
    expect(target.records('work_order')).toHaveLength(3);
    expect((await store.countIdMappings(CONNECTION)).get('work_order')).toBe(3);

    // The same page again (an inclusive cursor re-reads it): nothing is sent.
    const again = await upsertSync(options(store, target, [x1, workOrder(1), x2, workOrder(2)]));
    expect(again.results.map((r) => r.action)).toEqual(['skipped', 'unchanged', 'unchanged', 'unchanged']);
    expect(writeCalls(target) - writesBefore).toBe(1);
  });
});

describe('T23 schema drift and value fidelity (push side)', () => {
  it('a null, empty, blank or absent key is KEY_MISSING alone and never sent', async () => {
    const store = new MemoryStateStore();
    const target = makeTarget();
    const job = await startJob(store, {
      connection: CONNECTION,
      entity: 'work_order',
      kind: 'push',
      direction: 'outbound',
    });
    const records = [
      workOrder(0),
      workOrder(1, { external_id: null }),
      workOrder(2, { external_id: '' }),
      workOrder(3, { external_id: '   ' }),
      workOrder(4, { external_id: undefined }),
      workOrder(5, { external_source: null }),
      workOrder(6, { external_id: 12.5 }),
      workOrder(7),
    ];
    const result = await upsertSync(options(store, target, records, { job }));
    expect(result.results.map((r) => r.error?.code ?? r.action)).toEqual([
      'created',
      'KEY_MISSING',
      'KEY_MISSING',
      'KEY_MISSING',
      'KEY_MISSING',
      'KEY_MISSING',
      'RECORD_INVALID',
      'created',
    ]);
    expect(result.results[1]?.error?.message).toMatch(/no value in key field "external_id"/);
    expect(target.requests.filter((r) => r.kind === 'write').map((r) => r.records)).toEqual([2]);
    expect(target.records('work_order').map((r) => r.data.external_id)).toEqual(['WO-000000', 'WO-000007']);
    const errors = await store.listJobErrors(job.id);
    expect(errors.map((e) => [e.recordIndex, e.code])).toEqual([
      [1, 'KEY_MISSING'],
      [2, 'KEY_MISSING'],
      [3, 'KEY_MISSING'],
      [4, 'KEY_MISSING'],
      [5, 'KEY_MISSING'],
      [6, 'RECORD_INVALID'],
    ]);
  });

  it('extra fields pass through to the target untouched', async () => {
    const target = makeTarget();
    const extra = { zz_plant_note: 'Halle 3', zz_flags: { rush: true, codes: [1, 2] } };
    await upsertSync(options(new MemoryStateStore(), target, [workOrder(1, extra)]));
    expect(target.get('work_order', `${SOURCE}|WO-000001`)?.data).toEqual(workOrder(1, extra));
  });

  it('18-digit numbers with leading zeros, 1e-18 as a decimal and integers above 2^53 arrive bit-exact', async () => {
    const target = makeTarget();
    const values = {
      order_number: '000001234567890123',
      quantity: '0.000000000000000001',
      serial: '9007199254740993123',
    };
    const result = await upsertSync(
      options(new MemoryStateStore(), target, [workOrder(1, { ...values, external_id: '000001234567890123' })]),
    );
    expect(result.results[0]?.externalId).toBe('000001234567890123');
    const held = target.get('work_order', `${SOURCE}|000001234567890123`)?.data;
    for (const [field, value] of Object.entries(values)) expect(held?.[field]).toBe(value);
  });

  it('a value that is not JSON (a bigint) fails its record alone instead of being guessed at', async () => {
    const target = makeTarget();
    const result = await upsertSync(
      options(new MemoryStateStore(), target, [workOrder(1, { serial: 2n ** 64n }), workOrder(2)]),
    );
    expect(result.results.map((r) => r.error?.code ?? r.action)).toEqual(['RECORD_INVALID', 'created']);
    expect(target.records('work_order')).toHaveLength(1);
  });

  it('NFC and NFD spellings are one content and one key (both are NFC-normalised before hashing)', async () => {
    const store = new MemoryStateStore();
    const target = makeTarget();
    const nfd = 'Pre\u0301sse Mu\u0308ller';
    const nfc = nfd.normalize('NFC');
    expect(nfc).not.toBe(nfd);
    await upsertSync(options(store, target, [workOrder(1, { name: nfd })]));
    const again = await upsertSync(options(store, target, [workOrder(1, { name: nfc })]));
    expect(again.results[0]?.action).toBe('unchanged');
    expect(writeCalls(target)).toBe(1);

    const keyed = await upsertSync(
      options(store, target, [workOrder(2, { external_id: `K-${nfd}` }), workOrder(3, { external_id: `K-${nfc}` })]),
    );
    expect(keyed.results.map((r) => r.action)).toEqual(['skipped', 'created']);
    expect(keyed.results[1]?.externalId).toBe(`K-${nfc}`);
  });

  it('key order does not make a change', async () => {
    const store = new MemoryStateStore();
    const target = makeTarget();
    const record = workOrder(1, { extra: { a: 1, b: 2 } });
    await upsertSync(options(store, target, [record]));
    const reversed = Object.fromEntries(Object.entries({ ...record, extra: { b: 2, a: 1 } }).reverse());
    const again = await upsertSync(options(store, target, [reversed]));
    expect(again.results[0]?.action).toBe('unchanged');
    expect(writeCalls(target)).toBe(1);
  });
});
