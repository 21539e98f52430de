import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseSapConnectionConfig } from './connection-config';
import { acquireSapConnector, acquireStore, fingerprint, ResourcePool, resourcePool } from './resource-pool';

interface Thing {
  readonly id: number;
  closed: boolean;
}

function counter() {
  let created = 0;
  const closed: number[] = [];
  return {
    create: async (): Promise<Thing> => ({ id: ++created, closed: false }),
    close: async (thing: Thing) => {
      thing.closed = true;
      closed.push(thing.id);
    },
    get created() {
      return created;
    },
    closed,
  };
}

describe('ResourcePool', () => {
  afterEach(() => jest.useRealTimers());

  it('shares one resource per key and counts holders', async () => {
    const pool = new ResourcePool(0);
    const things = counter();
    const [a, b] = await Promise.all([
      pool.acquire('k', things.create, things.close),
      pool.acquire('k', things.create, things.close),
    ]);
    expect(a.value).toBe(b.value);
    expect(things.created).toBe(1);
    expect(pool.holders('k')).toBe(2);
    a.release();
    a.release(); // idempotent
    expect(pool.holders('k')).toBe(1);
    expect(a.value.closed).toBe(false);
    b.release();
    await Promise.resolve();
    await Promise.resolve();
    expect(things.closed).toEqual([1]);
    expect(pool.size).toBe(0);
  });

  it('keeps an idle resource for the grace period and reuses it when acquired again', async () => {
    jest.useFakeTimers();
    const pool = new ResourcePool(30_000);
    const things = counter();
    const first = await pool.acquire('k', things.create, things.close);
    first.release();
    jest.advanceTimersByTime(29_000);
    const second = await pool.acquire('k', things.create, things.close);
    expect(second.value.id).toBe(1);
    second.release();
    jest.advanceTimersByTime(29_999);
    expect(things.closed).toEqual([]);
    jest.advanceTimersByTime(1);
    await jest.runAllTimersAsync();
    expect(things.closed).toEqual([1]);
    const third = await pool.acquire('k', things.create, things.close);
    expect(third.value.id).toBe(2);
    await pool.closeAll();
    expect(things.closed).toEqual([1, 2]);
  });

  it('does not cache a failed creation', async () => {
    const pool = new ResourcePool(0);
    let attempts = 0;
    const create = async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('unreachable');
      return attempts;
    };
    await expect(pool.acquire('k', create, async () => undefined)).rejects.toThrow('unreachable');
    expect(pool.size).toBe(0);
    const lease = await pool.acquire('k', create, async () => undefined);
    expect(lease.value).toBe(2);
    lease.release();
  });

  it('lives on globalThis under a global symbol, so two runtime copies share it', () => {
    const pool = resourcePool();
    const holder = globalThis as Record<symbol, unknown>;
    expect(holder[Symbol.for('takt.resourcePool')]).toBe(pool);
    expect(resourcePool()).toBe(resourcePool());
  });
});

describe('fingerprint', () => {
  it('ignores key order and changes with a secret', () => {
    expect(fingerprint('sap', { a: 1, b: { c: 2, d: 3 } })).toBe(fingerprint('sap', { b: { d: 3, c: 2 }, a: 1 }));
    expect(fingerprint('sap', { password: 'one' })).not.toBe(fingerprint('sap', { password: 'two' }));
    expect(fingerprint('sap', { password: 'one' })).not.toContain('one');
    expect(fingerprint('sap', {})).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('pooled connectors and stores', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'takt-pool-'));
  });
  afterAll(async () => {
    await resourcePool().closeAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives equal SAP configs the same connector and a changed password a new one', async () => {
    const config = (password: string) =>
      parseSapConnectionConfig({
        baseUrl: 'https://s4.example.com',
        auth: { type: 'basic', user: 'U', password },
      });
    const a = await acquireSapConnector(config('one'));
    const b = await acquireSapConnector(config('one'));
    const c = await acquireSapConnector(config('two'));
    expect(a.value).toBe(b.value);
    expect(c.value).not.toBe(a.value);
    [a, b, c].forEach((lease) => lease.release());
  });

  it('shares the store of one SQLite file and refuses SQLite in queue mode', async () => {
    const options = { defaultDir: dir, env: {} };
    const a = await acquireStore({ kind: 'sqlite' }, options);
    const b = await acquireStore({ kind: 'sqlite', file: join(dir, 'takt-state.sqlite') }, options);
    expect(a.value).toBe(b.value);
    a.release();
    b.release();
    await expect(
      acquireStore({ kind: 'sqlite' }, { defaultDir: dir, env: { EXECUTIONS_MODE: 'queue' } }),
    ).rejects.toMatchObject({ code: 'STORE_UNSUPPORTED' });
  });
});
