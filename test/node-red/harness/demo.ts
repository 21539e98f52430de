import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '@takt/erp-simulator';
import { configureExample, DEMO_WEBHOOK_SECRET, EXAMPLE_SIMULATOR_URL, loadExamples } from './examples';
import { installPackedTakt, packTakt } from './install-packed';
import { MQTT_URL } from './mqtt-publisher';
import { NodeRedHost } from './node-red-host';
import { REPO_ROOT } from './paths';

export interface DemoOptions {
  readonly nodeRedPort: number;
  readonly simulatorPort: number;
  readonly print: (line: string) => void;
}

export interface RunningDemo {
  readonly editorUrl: string;
  stop(): Promise<void>;
}

/**
 * `npm start`: the ERP simulator, and a local Node-RED (127.0.0.1) with the packed node-red-contrib-takt installed
 * into `.takt/node-red` and every blueprint deployed on the embedded SQLite store. The simulator keeps its data in
 * memory, so each start begins fresh: the store is emptied and the blueprints are deployed again.
 */
export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const { print } = options;
  const stateDir = join(REPO_ROOT, '.takt');
  const userDir = join(stateDir, 'node-red');
  await assertFree(options.simulatorPort, 'TAKT_DEMO_SIM_PORT');
  await assertFree(options.nodeRedPort, 'TAKT_DEMO_PORT');

  print('Packing node-red-contrib-takt and installing it into .takt/node-red …');
  const tarball = await packTakt(join(stateDir, 'pack'));
  const install = await installPackedTakt(userDir, tarball);
  print(
    `  installed in ${install.seconds.toFixed(0)} s${install.fromCache ? '' : ' (SQLite binding built and cached)'}`,
  );
  for (const file of ['takt-state.sqlite', 'takt-state.sqlite-wal', 'takt-state.sqlite-shm']) {
    rmSync(join(userDir, file), { force: true });
  }

  const sim: RunningSimulator = await startSimulator({ port: options.simulatorPort, size: 1000 });
  const host = new NodeRedHost({
    userDir,
    port: options.nodeRedPort,
    credentialSecret: credentialSecret(userDir),
    // The editor under /admin: at '/' (Node-RED's default) the admin API's body parser would read the webhook
    // blueprint's request bodies before takt-webhook-in can check their signatures.
    settings: { httpAdminRoot: '/admin' },
  });
  try {
    await host.start();
    const mqtt = new URL(MQTT_URL);
    const flows = loadExamples().flatMap((example) =>
      configureExample(example.flows, {
        simulatorUrl: sim.url,
        mqtt: { host: mqtt.hostname, port: Number(mqtt.port || 1883) },
      }),
    );
    await host.deploy(flows);
  } catch (error) {
    await host.stop();
    await sim.close();
    throw error;
  }

  const editorUrl = `${host.adminUrl}/`;
  print('');
  print(`Takt demo is running.`);
  print(
    `  Node-RED editor   ${editorUrl}   (every blueprint on its own tab, store ${join('.takt', 'node-red', 'takt-state.sqlite')})`,
  );
  print(`  ERP simulator     ${sim.url}   (SAP: TAKT_USER / Welcome1!, client 100; MES: ${sim.url}/mes/api/v1)`);
  print(`  Webhook (tab 4)   POST ${host.url}/takt/sap-events, Standard Webhooks secret ${DEMO_WEBHOOK_SECRET}`);
  print(
    `  MQTT (tab 2)      ${MQTT_URL}, topic factory/<line>/<machine>/state; the tab's inject node publishes a stop`,
  );
  if (sim.url !== EXAMPLE_SIMULATOR_URL)
    print(`  (config nodes point at the simulator on port ${options.simulatorPort})`);
  print(`  Node-RED log      ${host.logFile}`);
  print('Ctrl+C stops Node-RED and the simulator.');

  return {
    editorUrl,
    async stop() {
      await host.stop();
      await sim.close();
    },
  };
}

/** A key for the credentials file, made once per checkout and kept in .takt (gitignored). */
function credentialSecret(userDir: string): string {
  mkdirSync(userDir, { recursive: true });
  const file = join(userDir, '.credential-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

async function assertFree(port: number, variable: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', () =>
      reject(
        new Error(`Port ${port} on 127.0.0.1 is in use: stop what listens there, or set ${variable} to another port.`),
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}
