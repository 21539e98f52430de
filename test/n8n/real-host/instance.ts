import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { startSimulator, type RunningSimulator, type SimulatorOptions } from '@takt/erp-simulator';

import { installCommunityPackage, type PackedPackage } from './community-package';
import { writeCredentialsFile } from './credentials';
import { N8nHost } from './n8n-host';

/**
 * One n8n instance ready to run blueprints: the package installed as a community package, the blueprint
 * credentials pointing at its own simulator and SQLite state store, and the given workflows imported.
 */

export interface Workflow {
  readonly id: string;
  readonly name: string;
  readonly file: string;
  readonly nodes: readonly { name: string; type: string; parameters: Record<string, unknown> }[];
}

export interface RunSettings {
  readonly repoRoot: string;
  readonly work: string;
  readonly installDir: string;
  readonly node24: string;
  readonly packed: PackedPackage;
  readonly log: (line: string) => void;
}

export interface Instance {
  readonly host: N8nHost;
  readonly sim: RunningSimulator;
  readonly storeFile: string;
  readonly workflows: readonly Workflow[];
  close(): Promise<void>;
}

export const NODE_PREFIX = 'n8n-nodes-takt.';

/** The blueprints in examples/n8n, in file order. */
export function readBlueprints(repoRoot: string): Workflow[] {
  const folder = join(repoRoot, 'examples', 'n8n');
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const file = join(folder, name);
      const json = JSON.parse(readFileSync(file, 'utf8')) as Omit<Workflow, 'file'>;
      if (typeof json.id !== 'string' || json.id === '') throw new Error(`${name} has no workflow id`);
      return { id: json.id, name: json.name, nodes: json.nodes, file };
    });
}

export async function createInstance(
  settings: RunSettings,
  label: string,
  simOptions: SimulatorOptions,
  workflows: readonly { workflow: Workflow; json: unknown }[],
): Promise<Instance> {
  const folder = join(settings.work, label);
  mkdirSync(folder, { recursive: true });
  const host = new N8nHost({ installDir: settings.installDir, node: settings.node24, folder });
  const sim = await startSimulator({ port: 0, ...simOptions });
  try {
    const installed = await installCommunityPackage(host.nodesFolder, settings.packed, await host.env());
    settings.log(
      `[${label}] installed ${settings.packed.name}@${settings.packed.version} as a community package ` +
        `(${installed.nodes.length} nodes, ${installed.credentials.length} credentials)`,
    );

    const storeFile = join(folder, 'takt-state.sqlite');
    const credentialsFile = join(folder, 'credentials.json');
    writeCredentialsFile(credentialsFile, {
      simulatorUrl: sim.url,
      sapUser: 'TAKT_USER',
      sapPassword: 'Welcome1!',
      sapClient: '100',
      mesBasePath: sim.mes?.basePath ?? '/mes/api/v1',
      storeFile,
    });
    let started = Date.now();
    await host.cli(['import:credentials', `--input=${credentialsFile}`]);
    settings.log(`[${label}] n8n import:credentials: ${Date.now() - started} ms`);

    const workflowFolder = join(folder, 'workflows');
    mkdirSync(workflowFolder, { recursive: true });
    for (const { workflow, json } of workflows) {
      writeFileSync(join(workflowFolder, `${workflow.id}.json`), JSON.stringify(json, null, 2));
    }
    started = Date.now();
    await host.cli(['import:workflow', '--separate', `--input=${workflowFolder}`]);
    settings.log(`[${label}] n8n import:workflow (${workflows.length}): ${Date.now() - started} ms`);

    return {
      host,
      sim,
      storeFile,
      workflows: workflows.map(({ workflow }) => workflow),
      close: async () => {
        await host.stop('SIGKILL');
        await sim.close();
      },
    };
  } catch (error) {
    await host.stop('SIGKILL');
    await sim.close();
    throw error;
  }
}
