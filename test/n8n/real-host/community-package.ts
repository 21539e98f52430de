import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { runCommand } from './processes';

/**
 * The package goes into n8n the way n8n's own community-package installer puts it there (n8n 2.41,
 * CommunityPackagesService.downloadPackage): the tarball unpacked into `<user folder>/.n8n/nodes/node_modules/<name>`,
 * its dev, peer and optional dependencies removed from its package.json, `npm install` of the rest inside it with
 * `--ignore-scripts --install-strategy=shallow`, and the package recorded in `.n8n/nodes/package.json`. At start n8n
 * scans that node_modules for `n8n-nodes-*` (no database record needed) and loads the package's nodes as
 * `<package name>.<node name>`. The peer dependency n8n-workflow is n8n's own copy: n8n puts its module paths on
 * NODE_PATH before loading community packages, so a package must not carry a second one.
 */

export interface PackedPackage {
  readonly tarball: string;
  readonly name: string;
  readonly version: string;
  readonly files: number;
  readonly bytes: number;
}

/** `npm pack` of the repository's root package into `destination`. */
export async function packRoot(repoRoot: string, destination: string): Promise<PackedPackage> {
  mkdirSync(destination, { recursive: true });
  const result = await runCommand('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: repoRoot,
    timeoutMs: 300_000,
  });
  if (result.code !== 0) throw new Error(`npm pack failed:\n${result.stderr}`);
  const start = result.stdout.indexOf('[');
  const [packed] = JSON.parse(result.stdout.slice(start)) as {
    filename: string;
    name: string;
    version: string;
    entryCount: number;
    size: number;
  }[];
  if (!packed) throw new Error(`npm pack printed no package:\n${result.stdout}`);
  return {
    tarball: join(destination, packed.filename),
    name: packed.name,
    version: packed.version,
    files: packed.entryCount,
    bytes: packed.size,
  };
}

export interface InstalledPackage {
  readonly directory: string;
  readonly nodes: readonly string[];
  readonly credentials: readonly string[];
}

/** Installs a packed package into an n8n user folder's community nodes, as n8n's installer does. */
export async function installCommunityPackage(
  nodesFolder: string,
  packed: PackedPackage,
  env: NodeJS.ProcessEnv,
): Promise<InstalledPackage> {
  if (!/^n8n-nodes-|^@[^/]+\/n8n-nodes-/.test(packed.name)) {
    throw new Error(`n8n loads community packages named n8n-nodes-* only; this one is "${packed.name}"`);
  }
  const directory = join(nodesFolder, 'node_modules', packed.name);
  mkdirSync(directory, { recursive: true });
  const untar = await runCommand('tar', ['-xzf', packed.tarball, '-C', directory, '--strip-components=1'], {
    timeoutMs: 60_000,
  });
  if (untar.code !== 0) throw new Error(`tar failed: ${untar.stderr}`);

  const manifestFile = join(directory, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, unknown> & {
    n8n?: { nodes?: string[]; credentials?: string[] };
  };
  delete manifest.devDependencies;
  delete manifest.peerDependencies;
  delete manifest.optionalDependencies;
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));

  const install = await runCommand(
    'npm',
    [
      'install',
      '--audit=false',
      '--fund=false',
      '--bin-links=false',
      '--install-strategy=shallow',
      '--ignore-scripts=true',
      '--package-lock=false',
    ],
    { cwd: directory, env, timeoutMs: 300_000 },
  );
  if (install.code !== 0) throw new Error(`npm install in the unpacked package failed:\n${install.stderr}`);

  const nodesManifest = join(nodesFolder, 'package.json');
  const existing = existsSync(nodesManifest)
    ? (JSON.parse(readFileSync(nodesManifest, 'utf8')) as { dependencies?: Record<string, string> })
    : {};
  writeFileSync(
    nodesManifest,
    JSON.stringify(
      {
        name: 'installed-nodes',
        private: true,
        ...existing,
        dependencies: { ...existing.dependencies, [packed.name]: packed.version },
      },
      null,
      2,
    ),
  );

  const nodes = manifest.n8n?.nodes ?? [];
  const credentials = manifest.n8n?.credentials ?? [];
  for (const file of [...nodes, ...credentials]) {
    if (!existsSync(join(directory, file)))
      throw new Error(`package.json n8n section lists ${file}, not in the tarball`);
  }
  if (existsSync(join(directory, 'node_modules', 'n8n-workflow'))) {
    throw new Error('the installed package carries its own n8n-workflow; it must use the host n8n copy (peer)');
  }
  return { directory, nodes, credentials };
}
