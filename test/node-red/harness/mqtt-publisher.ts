import { createRequire } from 'node:module';
import { REPO_ROOT } from './paths';

/** The broker on this machine (Mosquitto); override with TAKT_MQTT_URL. */
export const MQTT_URL = process.env.TAKT_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

interface MqttClient {
  publish(topic: string, message: string, options: { qos: 0 | 1 | 2 }, callback: (error?: Error) => void): void;
  end(force: boolean, options: object, callback: () => void): void;
  once(event: 'connect', listener: () => void): void;
  once(event: 'error', listener: (error: Error) => void): void;
}

/**
 * Publishes machine events the way a PLC gateway does, with the MQTT client that Node-RED's own mqtt nodes use
 * (resolved from the node-red install, so the test adds no dependency of its own).
 */
export class MqttPublisher {
  private constructor(private readonly client: MqttClient) {}

  static async connect(url = MQTT_URL): Promise<MqttPublisher> {
    return new MqttPublisher(await open(url, `takt-e2e-${process.pid}-${Date.now()}`, true));
  }

  /**
   * Ends a persistent session a test's subscriber left on the broker (a clean-session connect with its client id
   * drops it), so test runs do not pile up sessions that queue every later run's messages.
   */
  static async discardSession(clientId: string, url = MQTT_URL): Promise<void> {
    const client = await open(url, clientId, true);
    await new Promise<void>((resolve) => client.end(false, {}, resolve));
  }

  /** QoS 1: the broker has the message when this resolves. */
  async publish(topic: string, payload: unknown): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.client.publish(topic, JSON.stringify(payload), { qos: 1 }, (error) => (error ? reject(error) : resolve())),
    );
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.client.end(false, {}, resolve));
  }
}

async function open(url: string, clientId: string, clean: boolean): Promise<MqttClient> {
  const nodesDir = require.resolve('@node-red/nodes/package.json', {
    paths: [require.resolve('node-red/package.json', { paths: [REPO_ROOT] })],
  });
  const mqtt = createRequire(nodesDir)('mqtt') as { connect(url: string, options: object): MqttClient };
  const client = mqtt.connect(url, { clientId, clean, reconnectPeriod: 0 });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('error', (error) =>
      reject(new Error(`MQTT broker ${url} unreachable (${error.message}): start it, or set TAKT_MQTT_URL.`)),
    );
  });
  return client;
}
