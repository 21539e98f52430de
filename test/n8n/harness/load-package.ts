import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { ICredentialType } from 'n8n-workflow';

import { HarnessNodeTypes, TAKT_PACKAGE, type AnyNodeType } from './node-types';
import { standInNodeTypes } from './stand-ins';

/** `source` loads `nodes/**.node.ts` through jest's TypeScript transform; `dist` loads the bundles n8n loads. */
export type NodeBuild = 'source' | 'dist';

interface PackageN8nSection {
  nodes: string[];
  credentials: string[];
}

/** The repository root: the folder whose package.json is the n8n-nodes-takt package. */
export function packageRoot(from: string = __dirname): string {
  for (let folder = from; folder !== dirname(folder); folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === TAKT_PACKAGE
    ) {
      return folder;
    }
  }
  throw new Error(`no ${TAKT_PACKAGE} package.json above ${from}`);
}

/** The `n8n` section's node and credential files (dist paths, as n8n reads them). */
export function packageN8nSection(root: string = packageRoot()): PackageN8nSection {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { n8n?: Partial<PackageN8nSection> };
  return { nodes: manifest.n8n?.nodes ?? [], credentials: manifest.n8n?.credentials ?? [] };
}

/** `dist/nodes/X/X.node.js` → `nodes/X/X.node.ts` for a source build. */
function fileOf(root: string, distPath: string, build: NodeBuild): string {
  if (build === 'dist') return join(root, distPath);
  return join(root, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
}

/**
 * The class a node or credential file exports, instantiated. n8n finds it by the file name (`TaktSap.node.js`
 * exports `TaktSap`), so a file that exports it under another name would not load in n8n either.
 */
function instantiate<T>(file: string): T {
  const className = (file.split('/').pop() ?? '').split('.')[0] ?? '';
  // jest's require runs the TypeScript transform; a dynamic import() would need jest's experimental ESM mode.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(file) as Record<string, unknown>;
  const constructor = exported[className];
  if (typeof constructor !== 'function') {
    throw new Error(`${file} does not export a class named ${className} (n8n loads it by that name)`);
  }
  return new (constructor as new () => T)();
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** Every node listed in package.json's `n8n.nodes`, checked for the name n8n's lint expects (class `TaktSap` → `taktSap`). */
export function loadPackageNodes(build: NodeBuild = 'source', root: string = packageRoot()): AnyNodeType[] {
  return packageN8nSection(root).nodes.map((distPath) => {
    const file = fileOf(root, distPath, build);
    const nodeType = instantiate<AnyNodeType>(file);
    const className = (file.split('/').pop() ?? '').split('.')[0] ?? '';
    if (nodeType.description.name !== lowerFirst(className)) {
      throw new Error(
        `${file}: description.name is "${nodeType.description.name}", expected "${lowerFirst(className)}"`,
      );
    }
    return nodeType;
  });
}

/** Every credential type listed in package.json's `n8n.credentials`. */
export function loadPackageCredentials(build: NodeBuild = 'source', root: string = packageRoot()): ICredentialType[] {
  return packageN8nSection(root).credentials.map((distPath) =>
    instantiate<ICredentialType>(fileOf(root, distPath, build)),
  );
}

/** A registry of the package's nodes (under `n8n-nodes-takt.<name>`), the n8n-nodes-base stand-ins and `extra`. */
export function taktNodeTypes(
  options: { build?: NodeBuild; extra?: readonly AnyNodeType[]; others?: Record<string, AnyNodeType> } = {},
): HarnessNodeTypes {
  const nodes = [...loadPackageNodes(options.build), ...(options.extra ?? [])];
  return new HarnessNodeTypes(nodes, { ...standInNodeTypes(), ...options.others });
}
