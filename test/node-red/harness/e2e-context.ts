import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Collector } from './collector';
import { freePort } from './free-port';
import { type InstallReport, installPackedTakt, packTakt } from './install-packed';
import { NodeRedHost } from './node-red-host';

export interface E2eContext {
  readonly dir: string;
  readonly userDir: string;
  readonly host: NodeRedHost;
  readonly collector: Collector;
  readonly install: InstallReport;
  /** Stops Node-RED and the collector and removes the temporary folder (kept when TAKT_KEEP_E2E=1). */
  close(): Promise<void>;
}

/**
 * A fresh temporary user directory with the packed package installed, a real Node-RED on a free loopback port,
 * and a collector the tapped flows post to. Every test file owns one and closes it in `after`.
 */
export async function openE2eContext(
  name: string,
  settings: Readonly<Record<string, unknown>> = {},
): Promise<E2eContext> {
  NodeRedHost.killChildrenOnExit();
  const dir = mkdtempSync(join(tmpdir(), `takt-node-red-${name}-`));
  const userDir = join(dir, 'user');
  const collector = new Collector();
  let host: NodeRedHost | undefined;
  try {
    const tarball = await packTakt(join(dir, 'pack'));
    const install = await installPackedTakt(userDir, tarball);
    await collector.start();
    host = new NodeRedHost({ userDir, port: await freePort(), credentialSecret: 'takt-e2e-credential-key', settings });
    await host.start();
    const started = host;
    return {
      dir,
      userDir,
      host: started,
      collector,
      install,
      async close() {
        await started.stop();
        await collector.close();
        if (process.env.TAKT_KEEP_E2E !== '1') rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await host?.stop();
    await collector.close();
    throw error;
  }
}
