import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './install-packed';
import { cacheDir } from './paths';

/** node-red-dev, the flow library's scorecard tool, pinned and installed once into the cache. */
export const NODE_RED_DEV_VERSION = '0.1.6';
const CATALOGUE_URL = 'https://catalogue.nodered.org/catalogue.json';

export interface ScorecardEntry {
  readonly test: boolean;
  readonly [detail: string]: unknown;
}

export interface ValidateReport {
  readonly scorecard: Readonly<Record<string, ScorecardEntry>>;
  /** What node-red-dev printed: the ✅ lines and the warnings. */
  readonly output: string;
  /** Checks that could not run here because the flow library's catalogue was unreachable (P08, N01). */
  readonly catalogueUnreachable: boolean;
}

async function nodeRedDev(): Promise<string> {
  const dir = cacheDir(`node-red-dev-${NODE_RED_DEV_VERSION}`);
  const bin = join(dir, 'node_modules', 'node-red-dev', 'bin', 'run');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    const result = await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefix', dir, `node-red-dev@${NODE_RED_DEV_VERSION}`],
      dir,
    );
    if (result.code !== 0) throw new Error(`installing node-red-dev failed:\n${result.stderr}`);
  }
  return bin;
}

async function catalogueReachable(): Promise<boolean> {
  try {
    const response = await fetch(CATALOGUE_URL, { method: 'HEAD', signal: AbortSignal.timeout(5_000) });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Runs `node-red-dev validate` on an unpacked package folder and returns its scorecard. Two checks (P08 similar
 * names, N01 node types unique in the library) read the flow library's catalogue; node-red-dev stops with
 * ENOTFOUND when that host is unreachable, so then, and only then, it runs with a preload that answers the
 * catalogue request with an empty module list, and the report says those two checks did not run.
 */
export async function validatePackage(packageDir: string, workDir: string): Promise<ValidateReport> {
  const bin = await nodeRedDev();
  const scorecardFile = join(workDir, 'scorecard.json');
  const offline = !(await catalogueReachable());
  const args = [bin, 'validate', '-p', packageDir, '-o', scorecardFile];
  if (offline) {
    const preload = join(workDir, 'catalogue-offline.js');
    writeFileSync(preload, catalogueOfflinePreload(join(bin, '..', '..')));
    args.unshift('--require', preload);
  }
  const result = await run(process.execPath, args, workDir);
  if (!existsSync(scorecardFile)) {
    throw new Error(`node-red-dev wrote no scorecard (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
  const scorecard = JSON.parse(readFileSync(scorecardFile, 'utf8')) as Record<string, ScorecardEntry>;
  return { scorecard, output: `${result.stdout}${result.stderr}`, catalogueUnreachable: offline };
}

/** The preload: only the catalogue URL is answered locally, every other request goes out unchanged. */
function catalogueOfflinePreload(nodeRedDevDir: string): string {
  return `'use strict';
const axios = require(require.resolve('axios', { paths: [${JSON.stringify(nodeRedDevDir)}] }));
const get = axios.get.bind(axios);
axios.get = (url, ...rest) =>
  url === ${JSON.stringify(CATALOGUE_URL)}
    ? (console.error('(catalogue.nodered.org unreachable: P08 and N01 not checked)'), Promise.resolve({ data: { modules: [] } }))
    : get(url, ...rest);
`;
}
