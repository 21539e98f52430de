import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlowNode } from './node-red-host';
import { EXAMPLES_DIR } from './paths';

/**
 * The Standard Webhooks key the demo's and the tests' webhook nodes verify with (a user enters the sender's own).
 * Not a secret of anything: the endpoint runs on loopback against the simulator.
 */
export const DEMO_WEBHOOK_SECRET = `whsec_${Buffer.from('takt-demo-webhook-key-not-secret').toString('base64')}`;

/** The address the shipped examples point at: the simulator as `npm start` runs it. */
export const EXAMPLE_SIMULATOR_URL = 'http://127.0.0.1:4010';

export interface Example {
  /** File name, e.g. `2-machine-downtime-to-sap.json` (Node-RED lists it as "2-machine-downtime-to-sap"). */
  readonly file: string;
  readonly flows: readonly FlowNode[];
}

/** Every example flow shipped in the package, in file-name order. */
export function loadExamples(): Example[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, flows: JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as FlowNode[] }));
}

export function loadExample(prefix: string): Example {
  const found = loadExamples().find((example) => example.file.startsWith(prefix));
  if (!found) throw new Error(`no example ${prefix}* in ${EXAMPLES_DIR}`);
  return found;
}

export interface ExampleTarget {
  /** Where the simulator runs (replaces http://127.0.0.1:4010 in every field). */
  readonly simulatorUrl: string;
  readonly mqtt?: { readonly host: string; readonly port: number };
  /** Appended to every MQTT client id, so a test's persistent session never meets another run's. */
  readonly mqttClientSuffix?: string;
}

/**
 * An example as a user would set it up after importing it: the connection config nodes pointed at the
 * simulator with the simulator's credentials (exported flows carry no credentials; the admin API takes them
 * inside each node), the broker's address. Nothing else of the flow changes.
 */
export function configureExample(flows: readonly FlowNode[], target: ExampleTarget): FlowNode[] {
  const simulator = target.simulatorUrl.replace(/\/+$/, '');
  return flows.map((original) => {
    const node: FlowNode = { ...original };
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'string' && value.startsWith(EXAMPLE_SIMULATOR_URL)) {
        node[key] = simulator + value.slice(EXAMPLE_SIMULATOR_URL.length);
      }
    }
    switch (node.type) {
      case 'takt-sap-connection':
        node.credentials =
          node.authType === 'oauth2'
            ? { clientId: 'takt-client', clientSecret: 'takt-secret' }
            : { user: 'TAKT_USER', password: 'Welcome1!' };
        break;
      case 'takt-webhook-in':
        node.credentials = { secret: DEMO_WEBHOOK_SECRET };
        break;
      case 'mqtt-broker':
        if (target.mqtt) {
          node.broker = target.mqtt.host;
          node.port = String(target.mqtt.port);
        }
        if (target.mqttClientSuffix) node.clientid = `${String(node.clientid ?? 'takt')}-${target.mqttClientSuffix}`;
        break;
    }
    return node;
  });
}

/** The id of the node of `type` (and name, when given) in a flow; throws naming what is missing. */
export function nodeId(flows: readonly FlowNode[], type: string, name?: string): string {
  const found = flows.find((node) => node.type === type && (name === undefined || node.name === name));
  if (!found) throw new Error(`the flow has no ${type}${name ? ` named "${name}"` : ''}`);
  return found.id;
}
