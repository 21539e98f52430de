import type {
  ConnectionTestResult,
  Connector,
  EntityDescriptor,
  Page,
  WriteItem,
  WriteMode,
  WriteOptions,
  WriteResult,
} from '../connectors';
import { TaktError } from '../errors';
import { MemoryStateStore } from '../state';
import { acquireStoreAndForward } from './forward-share';
import { orderKeyOf } from './forward';
import { forwardStatusText, type ForwardStatus } from './forward-status';
import { sameValue } from './natural-key-target';

describe('orderKeyOf', () => {
  it('joins the key fields of a record', () => {
    expect(orderKeyOf({ machine: 'M-7', line: 3, x: 1 }, ['machine', 'line'], 0)).toBe('M-7|3');
  });

  it('names the record and the field that is missing', () => {
    const call = (): string => orderKeyOf({ machine: '' }, ['machine'], 4);
    expect(call).toThrow(TaktError);
    expect(call).toThrow('Record 4 has no value in key field "machine".');
    expect(() => orderKeyOf({ machine: { id: 1 } }, ['machine'], 0)).toThrow(/key field "machine"/);
  });
});

describe('forwardStatusText', () => {
  const now = 1_000_000;
  it('says what the sender is doing, with the wait in seconds', () => {
    expect(forwardStatusText({ state: 'offline', queued: 120, sent: 3, dead: 0, retryAt: now + 2_100 }, now)).toBe(
      'queued 120 offline, retry in 3 s',
    );
    expect(forwardStatusText({ state: 'retrying', queued: 4, sent: 0, dead: 0, retryAt: now + 3_000 }, now)).toBe(
      'retry in 3 s (4 queued)',
    );
    expect(forwardStatusText({ state: 'idle', queued: 0, sent: 300, dead: 0 }, now)).toBe('sent 300');
    expect(forwardStatusText({ state: 'idle', queued: 0, sent: 298, dead: 2 }, now)).toBe('sent 298, 2 dead');
    expect(forwardStatusText({ state: 'sending', queued: 10, sent: 5, dead: 0 }, now)).toBe(
      'sending, queued 10, sent 5',
    );
  });
});

describe('sameValue (natural-key comparison)', () => {
  it.each([
    ['/Date(1714521600000)/', '2024-05-01T00:00:00Z', true],
    ['/Date(1714521600000)/', '2024-05-01T00:00:00.000Z', true],
    ['/Date(1714521600000+0000)/', '2024-05-01', true],
    ['PT08H30M00S', 'PT8H30M', true],
    ['PT08H30M00S', 'PT08H30M01S', false],
    ['000000000210100094', '210100094', true],
    ['M-1', 'M-2', false],
    [null, '', true],
    [true, true, true],
  ])('%p ~ %p → %p', (a, b, expected) => {
    expect(sameValue(a, b)).toBe(expected);
  });
});

/** A target that records each write call's entity, mode and records, and can refuse connections. */
class RecordingTarget implements Connector {
  readonly kind = 'recording';
  readonly calls: { entity: string; mode: WriteMode; ids: unknown[] }[] = [];
  down = false;

  test(): Promise<ConnectionTestResult> {
    return Promise.resolve({ ok: true, latencyMs: 0, message: 'ok' });
  }

  entities(): EntityDescriptor[] {
    return [];
  }

  // eslint-disable-next-line require-yield
  async *read(): AsyncIterable<Page> {
    return;
  }

  write(entity: string, records: readonly WriteItem[], options: WriteOptions): Promise<WriteResult[]> {
    if (this.down) return Promise.reject(new TaktError('CONNECTION_REFUSED', 'connection refused (test)'));
    this.calls.push({ entity, mode: options.mode, ids: records.map((r) => r.data.id) });
    return Promise.resolve(records.map((_, index) => ({ index, action: 'created' as const })));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('acquireStoreAndForward', () => {
  it('shares one sender per store and connection, writes each entity in its node’s mode, stops with the last user', async () => {
    const store = new MemoryStateStore();
    const target = new RecordingTarget();
    const seenA: ForwardStatus[] = [];
    const seenB: ForwardStatus[] = [];
    const options = { store, connector: target, connection: 'mes', idleMs: 20 };
    const a = acquireStoreAndForward(options, { entity: 'resources', mode: 'upsert' }, (s) => seenA.push(s));
    const b = acquireStoreAndForward(options, { entity: 'jobs', mode: 'create' }, (s) => seenB.push(s));
    expect(a.sender).toBe(b.sender);
    const other = acquireStoreAndForward(
      { ...options, connection: 'sap' },
      { entity: 'maintenance-notifications', mode: 'create' },
      () => undefined,
    );
    expect(other.sender).not.toBe(a.sender);
    await other.release();

    await a.sender.enqueue([{ id: 'r1' }], { entity: 'resources', key: ['id'], mode: 'upsert' });
    await b.sender.enqueue([{ id: 'j1' }], { entity: 'jobs', key: ['id'], mode: 'create' });
    await until(() => a.sender.current().sent === 2);
    expect(target.calls.map((c) => [c.entity, c.mode])).toEqual(
      expect.arrayContaining([
        ['resources', 'upsert'],
        ['jobs', 'create'],
      ]),
    );
    expect(seenA.at(-1)).toEqual(seenB.at(-1));
    expect(seenB.at(-1)).toMatchObject({ state: 'idle', sent: 2, queued: 0 });

    await a.release();
    target.down = true;
    await b.sender.enqueue([{ id: 'r2' }], { entity: 'resources', key: ['id'] });
    await until(() => b.sender.current().state === 'offline');
    expect(b.sender.current()).toMatchObject({ queued: 1, lastError: { code: 'CONNECTION_REFUSED' } });
    expect(seenA.some((s) => s.state === 'offline')).toBe(false);

    await b.release();
    expect(b.sender.current().state).toBe('stopped');
    // The next user gets a new sender, which finds the queued record in the store.
    target.down = false;
    const c = acquireStoreAndForward(options, { entity: 'resources', mode: 'upsert' }, () => undefined);
    expect(c.sender).not.toBe(b.sender);
    await until(() => c.sender.current().sent === 1);
    expect(target.calls.at(-1)).toEqual({ entity: 'resources', mode: 'upsert', ids: ['r2'] });
    await c.release();
  });
});
