import { createHash } from 'node:crypto';

import type { SapEntityConfig } from '../connectors/sap';
import type { Connector } from '../connectors';
import type { StateStore } from '../state';
import { assertStoreFitsHost } from '../state';
import { canonicalJson } from '../sync/content-hash';
import {
  createMesConnector,
  createSapConnector,
  type MesConnectionConfig,
  type SapConnectionConfig,
} from './connection-config';
import { openStore, sqliteFileOf, type OpenStoreOptions, type StoreConfig } from './store-config';

/**
 * Connectors and stores shared process-wide. Opening a store (migrations, a PostgreSQL pool) or a connector
 * (sockets, an OAuth token, a CSRF token, its rate limit) per n8n execution would be slow and would split what
 * must be shared, so both hosts acquire them here by a fingerprint of their configuration: n8n per execution,
 * releasing in `finally`; Node-RED config nodes on start, releasing on close. A resource nobody holds is closed
 * after a grace period, so a workflow running every few seconds keeps its connections warm.
 */

export interface PoolLease<T> {
  readonly value: T;
  /** Gives the resource back; idempotent. */
  release(): void;
}

interface Entry {
  readonly ready: Promise<unknown>;
  readonly close: (value: unknown) => Promise<void>;
  refs: number;
  timer: NodeJS.Timeout | undefined;
}

export const DEFAULT_IDLE_MS = 30_000;

export class ResourcePool {
  private readonly entries = new Map<string, Entry>();

  /** How long a resource nobody holds stays open; 0 closes it at once. */
  constructor(public idleMs: number = DEFAULT_IDLE_MS) {}

  /**
   * The resource under `key`, created once by `create` and shared; concurrent first acquires wait for the same
   * creation. A failed creation is not cached, so the next acquire tries again.
   */
  async acquire<T>(key: string, create: () => Promise<T>, close: (value: T) => Promise<void>): Promise<PoolLease<T>> {
    let entry = this.entries.get(key);
    if (entry === undefined) {
      const created: Entry = {
        ready: create(),
        close: close as (value: unknown) => Promise<void>,
        refs: 0,
        timer: undefined,
      };
      entry = created;
      this.entries.set(key, created);
      created.ready.catch(() => {
        if (this.entries.get(key) === created) this.entries.delete(key);
      });
    }
    const held = entry;
    held.refs += 1;
    if (held.timer !== undefined) {
      clearTimeout(held.timer);
      held.timer = undefined;
    }
    let value: T;
    try {
      value = (await held.ready) as T;
    } catch (error) {
      held.refs -= 1;
      throw error;
    }
    let released = false;
    return {
      value,
      release: () => {
        if (released) return;
        released = true;
        this.release(key, held);
      },
    };
  }

  /** How many resources are open or opening (for tests and status). */
  get size(): number {
    return this.entries.size;
  }

  /** Holders of the resource under `key` (0 when idle or absent). */
  holders(key: string): number {
    return this.entries.get(key)?.refs ?? 0;
  }

  /** Closes every resource now, held or not (process shutdown, tests). */
  async closeAll(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(entries.map((entry) => this.closeEntry(entry)));
  }

  private release(key: string, entry: Entry): void {
    entry.refs -= 1;
    if (entry.refs > 0 || this.entries.get(key) !== entry) return;
    const closeNow = () => {
      if (entry.refs > 0 || this.entries.get(key) !== entry) return;
      this.entries.delete(key);
      void this.closeEntry(entry);
    };
    if (this.idleMs <= 0) {
      closeNow();
      return;
    }
    entry.timer = setTimeout(closeNow, this.idleMs);
    // An idle connection must not keep a host process (or a test run) alive.
    entry.timer.unref();
  }

  private async closeEntry(entry: Entry): Promise<void> {
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.timer = undefined;
    try {
      await entry.close(await entry.ready);
    } catch {
      // A resource that failed to open or to close has nothing left to release.
    }
  }
}

const POOL_KEY = Symbol.for('takt.resourcePool');

/**
 * The process-wide pool. It lives on `globalThis` under a global symbol, so the copies of the runtime bundled
 * into the n8n package and the Node-RED package (or two n8n packages) share connections and stores.
 */
export function resourcePool(): ResourcePool {
  const holder = globalThis as { [POOL_KEY]?: ResourcePool };
  let pool = holder[POOL_KEY];
  if (pool === undefined) {
    const fromEnv = Number(process.env.TAKT_POOL_IDLE_MS);
    pool = new ResourcePool(Number.isFinite(fromEnv) && fromEnv >= 0 ? fromEnv : DEFAULT_IDLE_MS);
    holder[POOL_KEY] = pool;
  }
  return pool;
}

/**
 * SHA-256 of the normalised configuration. Secrets go into the hash (a changed password must open a new
 * connection) and nowhere else: the fingerprint is a pool key, never a name shown to anyone.
 */
export function fingerprint(kind: string, config: unknown): string {
  return createHash('sha256')
    .update(`${kind}\n${canonicalJson(config)}`)
    .digest('hex');
}

/**
 * A pooled SAP connector. Its id (which names the shared rate limit) is the connection name and host, never a
 * secret; `customEntities` are part of the key, so each "Any Entity Set" gets its own connector.
 */
export function acquireSapConnector(
  config: SapConnectionConfig,
  customEntities: readonly SapEntityConfig[] = [],
): Promise<PoolLease<Connector>> {
  const key = fingerprint('sap', { config, customEntities });
  return resourcePool().acquire(
    key,
    async () => createSapConnector(config, connectorId(config.connectionName, config.baseUrl), customEntities),
    (connector) => connector.close(),
  );
}

/** A pooled shop-floor REST connector (see acquireSapConnector). */
export function acquireMesConnector(config: MesConnectionConfig): Promise<PoolLease<Connector>> {
  return resourcePool().acquire(
    fingerprint('mes', config),
    async () => createMesConnector(config, connectorId(config.connectionName, config.baseUrl)),
    (connector) => connector.close(),
  );
}

/**
 * A pooled state store. The host check runs on every acquire, not only when the store is first opened, so a
 * process switched to queue mode is refused even while an old SQLite store is still pooled.
 */
export async function acquireStore(config: StoreConfig, options: OpenStoreOptions): Promise<PoolLease<StateStore>> {
  assertStoreFitsHost(config.kind, options.env ?? process.env);
  const resolved =
    config.kind === 'sqlite' ? { kind: 'sqlite', file: sqliteFileOf(config, options.defaultDir) } : config;
  return resourcePool().acquire(
    fingerprint('store', resolved),
    () => openStore(config, options),
    (store) => store.close(),
  );
}

function connectorId(connectionName: string, baseUrl: string): string {
  let host = baseUrl;
  try {
    host = new URL(baseUrl).host;
  } catch {
    // Validated configs always parse; keep the raw text for anything else.
  }
  return `${connectionName}@${host}`;
}
