import { acquireStore, parseStoreConfig, sqliteFileOf, type StoreConfig } from '@takt/runtime';

import { ConfigUsers, HeldResource, type TaktStoreNode } from './shared/config-node';
import { toTaktError } from './shared/errors';
import type { NodeDef, NodeRedApi, NodeWithCredentials } from './shared/node-red';
import { taktSettings, userDir } from './shared/settings';
import { statusError, statusText } from './shared/status';

/**
 * `takt-store` config node: where Takt keeps cursors, dedup claims, the id map, the outbox and the job log.
 * SQLite in the userDir by default (one file per Node-RED instance), or PostgreSQL for several gateways.
 * The store comes from the runtime's process-wide pool, so every node using this config shares one
 * connection; the pool closes it after the last release (TAKT_POOL_IDLE_MS).
 */

interface StoreCredentials {
  readonly connectionString: string;
}

type Building<T> = { -readonly [K in keyof T]: T[K] };
type StoreNodeInstance = Building<TaktStoreNode> & NodeWithCredentials<StoreCredentials>;

export = function registerTaktStore(RED: NodeRedApi): void {
  const settings = taktSettings(RED);

  function TaktStore(this: StoreNodeInstance, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    this.users = new ConfigUsers();

    const defaultDir = userDir(RED);
    let config: StoreConfig | undefined;
    let configError: unknown;
    try {
      config = parseStoreConfig(
        def.storeType === 'postgres'
          ? {
              kind: 'postgres',
              connectionString: this.credentials?.connectionString ?? '',
              schema: typeof def.schema === 'string' ? def.schema : undefined,
            }
          : { kind: 'sqlite', file: typeof def.file === 'string' ? def.file : undefined },
      );
    } catch (error) {
      configError = error;
    }
    this.location = config ? describeStore(config, defaultDir) : 'not configured';

    const held = new HeldResource('state store', () =>
      config ? acquireStore(config, { defaultDir }) : Promise.reject(toTaktError(configError)),
    );
    this.store = () => held.get();

    // Open at deploy, so a bad path or an unreachable server shows on every user at once, not at the first message.
    held.get().then(
      () => this.log(`state store: ${this.location}`),
      (error: unknown) => {
        const taktError = toTaktError(error);
        this.users.broadcast(statusError(statusText(taktError.code)));
        this.error(`State store ${this.location}: ${taktError.message}`);
      },
    );

    this.on('close', (_removed, done) => {
      held.close(settings.closeTimeoutMs).then(done, done);
    });
  }

  RED.nodes.registerType('takt-store', TaktStore, { credentials: { connectionString: { type: 'password' } } });
};

/** Where the state lives, for logs and the editor: the SQLite file, or PostgreSQL host, database and schema. */
function describeStore(config: StoreConfig, defaultDir: string): string {
  if (config.kind === 'sqlite') return `SQLite ${sqliteFileOf(config, defaultDir)}`;
  let where = 'PostgreSQL';
  try {
    const url = new URL(config.connectionString);
    where = `PostgreSQL ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    // The schema check already refused anything that is not a postgres:// URL; never echo the raw string.
  }
  return config.schema ? `${where} schema ${config.schema}` : where;
}
