import {
  acquireSapConnector,
  parseSapConnectionConfig,
  type Connector,
  type SapConnectionConfig,
  type SapEntityConfig,
} from '@takt/runtime';

import { ConfigUsers, HeldResource, type TaktSapConnectionNode } from './shared/config-node';
import { checkAtDeploy, jsonField, textField } from './shared/connection-check';
import { toTaktError } from './shared/errors';
import type { NodeDef, NodeRedApi, NodeWithCredentials } from './shared/node-red';
import { taktSettings } from './shared/settings';

/**
 * `takt-sap-connection` config node: one SAP S/4HANA OData connection (Basic or OAuth2 client credentials,
 * sap-client, TLS). The connector comes from the runtime's process-wide pool, so nodes using this config share
 * its sockets, CSRF and OAuth tokens and its rate limit; the connection is tested once at deploy.
 */

interface SapCredentials {
  readonly user: string;
  readonly password: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

type Building<T> = { -readonly [K in keyof T]: T[K] };
type SapConnectionInstance = Building<TaktSapConnectionNode> & NodeWithCredentials<SapCredentials>;

export = function registerTaktSapConnection(RED: NodeRedApi): void {
  const settings = taktSettings(RED);

  function TaktSapConnection(this: SapConnectionInstance, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    this.users = new ConfigUsers();
    this.connectionName = textField(def, 'connectionName') ?? 'sap';

    let config: SapConnectionConfig | undefined;
    let configError: unknown;
    try {
      config = parseSapConnectionConfig(sapInput(def, this.credentials ?? {}));
      this.connectionName = config.connectionName;
    } catch (error) {
      configError = error;
    }
    this.config = config;

    const held = new HeldResource('SAP connection', () =>
      config ? acquireSapConnector(config) : Promise.reject(toTaktError(configError)),
    );
    this.connector = () => held.get();
    this.acquireCustom = (customEntities: readonly SapEntityConfig[]) =>
      config ? acquireSapConnector(config, customEntities) : Promise.reject(toTaktError(configError));

    void checkAtDeploy(this, `SAP connection ${describeSap(def)}`, (): Promise<Connector> => held.get());

    this.on('close', (_removed, done) => {
      held.close(settings.closeTimeoutMs).then(done, done);
    });
  }

  RED.nodes.registerType('takt-sap-connection', TaktSapConnection, {
    credentials: {
      user: { type: 'text' },
      password: { type: 'password' },
      clientId: { type: 'text' },
      clientSecret: { type: 'password' },
    },
  });
};

/** The editor's fields as the runtime's SapConnectionInput (validated there, errors name the field). */
function sapInput(def: NodeDef, credentials: Partial<SapCredentials>): unknown {
  const auth =
    def.authType === 'oauth2'
      ? {
          type: 'oauth2',
          tokenUrl: textField(def, 'tokenUrl') ?? '',
          clientId: credentials.clientId ?? '',
          clientSecret: credentials.clientSecret ?? '',
          scope: textField(def, 'scope'),
        }
      : { type: 'basic', user: credentials.user ?? '', password: credentials.password ?? '' };
  const odataVersion = textField(def, 'odataVersion');
  return {
    baseUrl: textField(def, 'baseUrl') ?? '',
    auth,
    sapClient: textField(def, 'sapClient'),
    language: textField(def, 'language'),
    ...(odataVersion ? { odataVersion } : {}),
    tls: { rejectUnauthorized: def.rejectUnauthorized !== false, ca: textField(def, 'ca') },
    connectionName: textField(def, 'connectionName'),
    services: jsonField(def, 'services', 'Service Paths'),
  };
}

/** For logs: the host and client, never a user or secret. */
function describeSap(def: NodeDef): string {
  const client = textField(def, 'sapClient');
  try {
    return `${new URL(textField(def, 'baseUrl') ?? '').host}${client ? ` client ${client}` : ''}`;
  } catch {
    return '(no base URL)';
  }
}
