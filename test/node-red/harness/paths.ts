import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root: this file compiles to test/dist/node-red/harness/. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');
export const PACKAGE_DIR = join(REPO_ROOT, 'packages', 'node-red-contrib-takt');
export const EXAMPLES_DIR = join(PACKAGE_DIR, 'examples');

/** Takt's cache for what is slow to rebuild (compiled native bindings, tools), outside the repo. */
export function cacheDir(...parts: string[]): string {
  return join(process.env.TAKT_CACHE_DIR ?? join(homedir(), '.cache', 'takt'), ...parts);
}

/** Node-RED as installed at the repo root (devDependency): the host the e2e tests and the demo run. */
export function nodeRedEntry(): string {
  return require.resolve('node-red/red.js', { paths: [REPO_ROOT] });
}
