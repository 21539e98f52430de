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
    const nodesDir = require.resolve('@node-red/nodes/package.json', {
      paths: [require.resolve('node-red/package.json', { paths: [REPO_ROOT] })],
    });
    const mqtt = createRequire(nodesDir)('mqtt') as {
      connect(url: string, options: object): MqttClient;
    };
    const client = mqtt.connect(url, { clientId: `takt-e2e-${process.pid}-${Date.now()}`, reconnectPeriod: 0 });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', resolve);
      client.once('error', reject);
    });
    return new MqttPublisher(client);
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
