import {
  TaktError,
  type Connector,
  type PoolLease,
  type SapConnectionConfig,
  type SapEntityConfig,
  type StateStore,
} from '@takt/runtime';

import type { NodeRedApi, NodeRedNode, NodeStatus } from './node-red';

/**
 * What Takt's config nodes (takt-store, takt-sap-connection, takt-mes-connection) offer the nodes that use
 * them, and the two pieces they are built from: the user registry (status fans out to every user, as the MQTT
 * broker node does) and a pooled resource held from deploy to close.
 */

/** The nodes using one config node. A user registered after a status was set gets that status at once. */
export class ConfigUsers {
  private readonly users = new Map<string, NodeRedNode>();
  private current: NodeStatus | undefined;

  register(user: NodeRedNode): void {
    this.users.set(user.id, user);
    if (this.current !== undefined) user.status(this.current);
  }

  deregister(user: NodeRedNode): void {
    this.users.delete(user.id);
  }

  get count(): number {
    return this.users.size;
  }

  /** Shows `status` under every user (a store that cannot open, a connection that fails its test). */
  broadcast(status: NodeStatus): void {
    this.current = status;
    for (const user of this.users.values()) user.status(status);
  }
}

/**
 * A resource from the runtime's process-wide pool, held by one config node from deploy to close. Acquisition
 * starts at deploy; a failed acquisition is forgotten, so the next `get()` tries again (a PostgreSQL server
 * that was down at deploy). `close()` gives the lease back within the close timeout: one still being acquired
 * is released when it arrives.
 */
export class HeldResource<T> {
  private lease: Promise<PoolLease<T>> | undefined;
  private closed = false;

  constructor(
    private readonly what: string,
    private readonly acquire: () => Promise<PoolLease<T>>,
  ) {}

  get(): Promise<T> {
    if (this.closed) {
      return Promise.reject(
        new TaktError('ABORTED', `The ${this.what} was closed (flows stopped or redeployed); send the message again.`),
      );
    }
    let lease = this.lease;
    if (lease === undefined) {
      const acquiring = this.acquire();
      lease = acquiring;
      this.lease = acquiring;
      acquiring.catch(() => {
        if (this.lease === acquiring) this.lease = undefined;
      });
    }
    return lease.then((held) => held.value);
  }

  async close(timeoutMs: number): Promise<void> {
    this.closed = true;
    const lease = this.lease;
    this.lease = undefined;
    if (lease === undefined) return;
    const released = lease.then(
      (held) => held.release(),
      () => undefined,
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([released, timeout]);
    clearTimeout(timer);
  }
}

/** Every Takt config node: its users, so status can fan out and users can (de)register. */
export interface TaktConfigNode extends NodeRedNode {
  readonly users: ConfigUsers;
}

/** `takt-store`: the state store (SQLite file in the userDir by default, or PostgreSQL). */
export interface TaktStoreNode extends TaktConfigNode {
  /** The pooled store, opened and migrated at deploy; rejects with a TaktError naming what to fix. */
  store(): Promise<StateStore>;
  /** Where the state lives, without secrets ("SQLite <file>", "PostgreSQL <host>/<db> schema x"). */
  readonly location: string;
}

/** `takt-sap-connection`: a SAP OData connection. */
export interface TaktSapConnectionNode extends TaktConfigNode {
  /** The runtime's `connection` name (id map, streams, jobs): nodes using the same name share them. */
  readonly connectionName: string;
  /** The pooled connector for the preset entities. */
  connector(): Promise<Connector>;
  /**
   * A connector that also knows entity sets the user typed ("any entity set"); the caller holds the lease and
   * releases it on its own close. Rejects with CONFIG_INVALID when the connection's configuration is invalid.
   */
  acquireCustom(customEntities: readonly SapEntityConfig[]): Promise<PoolLease<Connector>>;
  /** The validated configuration (secrets included: never log it). */
  readonly config: SapConnectionConfig | undefined;
}

/** `takt-mes-connection`: a shop-floor REST connection (the MES sync API or a custom profile). */
export interface TaktMesConnectionNode extends TaktConfigNode {
  readonly connectionName: string;
  connector(): Promise<Connector>;
}

/** The config node types and what the editor calls them (for errors that say which field to fill in). */
export const CONFIG_TYPES = {
  store: { type: 'takt-store', label: 'State Store' },
  sap: { type: 'takt-sap-connection', label: 'SAP Connection' },
  mes: { type: 'takt-mes-connection', label: 'MES Connection' },
} as const;

export type ConfigKind = keyof typeof CONFIG_TYPES;

interface ConfigNodeOf {
  store: TaktStoreNode;
  sap: TaktSapConnectionNode;
  mes: TaktMesConnectionNode;
}

/**
 * The config node a user node points at (the id in its `def` field), checked to be the right type. The user is
 * registered at once and deregistered when it closes. Throws CONFIG_INVALID naming the field when nothing (or
 * something else) is selected, so the user node can show a red ring and refuse messages.
 */
export function useConfigNode<K extends ConfigKind>(
  RED: NodeRedApi,
  user: NodeRedNode,
  kind: K,
  id: unknown,
): ConfigNodeOf[K] {
  const { type, label } = CONFIG_TYPES[kind];
  const found = typeof id === 'string' && id !== '' ? RED.nodes.getNode(id) : null;
  if (!isConfigNode(found, type)) {
    throw new TaktError(
      'CONFIG_INVALID',
      `${user.type}: select a ${label} (${type}) in the node's settings` +
        (typeof id === 'string' && id !== '' ? '; the one selected no longer exists or is disabled.' : '.'),
    );
  }
  const config = found as ConfigNodeOf[K];
  config.users.register(user);
  user.on('close', (_removed, done) => {
    config.users.deregister(user);
    done();
  });
  return config;
}

/** Like useConfigNode, for an optional config field: undefined when none is selected. */
export function useOptionalConfigNode<K extends ConfigKind>(
  RED: NodeRedApi,
  user: NodeRedNode,
  kind: K,
  id: unknown,
): ConfigNodeOf[K] | undefined {
  if (typeof id !== 'string' || id === '') return undefined;
  return useConfigNode(RED, user, kind, id);
}

/** Duck-typed: each node bundle has its own copy of ConfigUsers, so `instanceof` would fail across types. */
function isConfigNode(node: unknown, type: string): node is TaktConfigNode {
  if (typeof node !== 'object' || node === null || (node as { type?: unknown }).type !== type) return false;
  const users = (node as { users?: unknown }).users;
  return typeof users === 'object' && users !== null && typeof (users as ConfigUsers).register === 'function';
}
