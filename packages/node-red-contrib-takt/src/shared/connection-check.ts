import { describeConnectionTest, TaktError, type Connector } from '@takt/runtime';

import type { ConfigUsers } from './config-node';
import { toTaktError } from './errors';
import type { NodeRedNode } from './node-red';
import { statusError, statusText } from './status';

/**
 * A connection config node tests its connection once at deploy, as the MQTT broker node connects at deploy:
 * a wrong password, sap-client or URL shows at once as a red ring on every node using it, with the reason in
 * the log, instead of at the first message. A passing test changes no status (the users' own status stays).
 */
export async function checkAtDeploy(
  config: NodeRedNode & { readonly users: ConfigUsers },
  what: string,
  connector: () => Promise<Connector>,
): Promise<boolean> {
  try {
    const result = await (await connector()).test();
    if (result.ok) {
      config.log(`${what}: ${describeConnectionTest(result)}`);
      return true;
    }
    config.users.broadcast(statusError(statusText(result.error?.code ?? 'connection failed')));
    config.warn(`${what}: ${describeConnectionTest(result)}`);
    return false;
  } catch (error) {
    const taktError = toTaktError(error);
    config.users.broadcast(statusError(statusText(taktError.code)));
    config.warn(`${what}: ${taktError.message}`);
    return false;
  }
}

/** A text field of a node's definition, trimmed; undefined when empty or not text. */
export function textField(def: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = def[name];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * A JSON text field (an editor `node-input-…` with the JSON editor), parsed; undefined when empty. Throws
 * CONFIG_INVALID naming the field when it is not JSON.
 */
export function jsonField(def: Readonly<Record<string, unknown>>, name: string, label: string): unknown {
  const text = textField(def, name);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new TaktError('CONFIG_INVALID', `${label} is not valid JSON: ${(error as Error).message}`);
  }
}
