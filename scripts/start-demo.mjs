// npm start (after `npm run build`): the ERP simulator and a local Node-RED with Takt and the blueprints.
// The work is in test/node-red/harness/demo.ts, shared with the Node-RED end-to-end tests.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { startDemo } = require('../test/dist/node-red/harness/demo.js');

const port = (name, fallback) => {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 65535) {
    console.error(`${name} must be a port number (1-65535), not "${value}".`);
    process.exit(2);
  }
  return number;
};

let demo;
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping Node-RED and the simulator …');
  await demo?.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

try {
  demo = await startDemo({
    nodeRedPort: port('TAKT_DEMO_PORT', 1880),
    simulatorPort: port('TAKT_DEMO_SIM_PORT', 4010),
    print: (line) => console.log(line),
  });
  if (stopping) await demo.stop();
} catch (error) {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
