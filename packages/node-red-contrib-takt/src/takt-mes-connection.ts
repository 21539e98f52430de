import { acquireMesConnector, parseMesConnectionConfig, type Connector, type MesConnectionConfig } from '@takt/runtime';

import { ConfigUsers, HeldResource, type TaktMesConnectionNode } from './shared/config-node';
import { checkAtDeploy, jsonField, textField } from './shared/connection-check';
import { toTaktError } from './shared/errors';
import type { NodeDef, NodeRedApi, NodeWithCredentials } from './shared/node-red';
import { taktSettings } from './shared/settings';

/**
 * `takt-mes-connection` config node: one shop-floor REST connection — the MES sync API profile, or a custom
 * profile (the connector's RestUpsertConfig as JSON) — with API key, bearer token or Basic authentication.
 * Pooled and tested at deploy like takt-sap-connection.
 */

interface MesCredentials {
  readonly apiKey: string;
  readonly token: string;
  readonly user: string;
  readonly password: string;
}

type Building<T> = { -readonly [K in keyof T]: T[K] };
type MesConnectionInstance = Building<TaktMesConnectionNode> & NodeWithCredentials<MesCredentials>;

export = function registerTaktMesConnection(RED: NodeRedApi): void {
  const settings = taktSettings(RED);

  function TaktMesConnection(this: MesConnectionInstance, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    this.users = new ConfigUsers();
    this.connectionName = textField(def, 'connectionName') ?? 'mes';

    let config: MesConnectionConfig | undefined;
    let configError: unknown;
    try {
      config = parseMesConnectionConfig(mesInput(def, this.credentials ?? {}));
      this.connectionName = config.connectionName;
    } catch (error) {
      configError = error;
    }

    const held = new HeldResource('MES connection', () =>
      config ? acquireMesConnector(config) : Promise.reject(toTaktError(configError)),
    );
    this.connector = () => held.get();

    void checkAtDeploy(this, `MES connection ${describeHost(def)}`, (): Promise<Connector> => held.get());

    this.on('close', (_removed, done) => {
      held.close(settings.closeTimeoutMs).then(done, done);
    });
  }

  RED.nodes.registerType('takt-mes-connection', TaktMesConnection, {
    credentials: {
      apiKey: { type: 'password' },
      token: { type: 'password' },
      user: { type: 'text' },
      password: { type: 'password' },
    },
  });
};

/** The editor's fields as the runtime's MesConnectionInput (validated there, errors name the field). */
function mesInput(def: NodeDef, credentials: Partial<MesCredentials>): unknown {
  const auth = (() => {
    switch (def.authType) {
      case 'apiKey':
        return { type: 'apiKey', header: textField(def, 'apiKeyHeader'), value: credentials.apiKey ?? '' };
      case 'bearer':
        return { type: 'bearer', token: credentials.token ?? '' };
      case 'basic':
        return { type: 'basic', username: credentials.user ?? '', password: credentials.password ?? '' };
      default:
        return { type: 'none' };
    }
  })();
  const profile = textField(def, 'profile') ?? 'mes-sync-api';
  const nesting = textField(def, 'nesting');
  return {
    baseUrl: textField(def, 'baseUrl') ?? '',
    profile,
    ...(profile === 'custom' ? { custom: jsonField(def, 'custom', 'Custom Profile') } : {}),
    auth,
    ...(nesting ? { nesting } : {}),
    connectionName: textField(def, 'connectionName'),
  };
}

function describeHost(def: NodeDef): string {
  try {
    return new URL(textField(def, 'baseUrl') ?? '').host;
  } catch {
    return '(no base URL)';
  }
}
