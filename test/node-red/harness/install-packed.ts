import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, REPO_ROOT } from './paths';

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command to its end and collects its output. npm's own `npm_*` variables are dropped (a test started by
 * `npm run` would otherwise hand its workspace and lifecycle settings to the npm it starts), except the ones
 * that say where the cache and the user's configuration are.
 */
export async function run(command: string, args: readonly string[], cwd: string): Promise<CommandResult> {
  const env: NodeJS.ProcessEnv = {};
  const keep = new Set(['npm_config_cache', 'npm_config_userconfig', 'npm_config_registry']);
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toLowerCase().startsWith('npm_') || keep.has(key.toLowerCase())) env[key] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

async function runOrThrow(command: string, args: readonly string[], cwd: string): Promise<string> {
  const result = await run(command, args, cwd);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.code}):\n${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

/** `npm pack` of node-red-contrib-takt into `destination`; returns the tarball's path. */
export async function packTakt(destination: string): Promise<string> {
  mkdirSync(destination, { recursive: true });
  const out = await runOrThrow(
    'npm',
    ['pack', '-w', 'node-red-contrib-takt', '--pack-destination', destination, '--json'],
    REPO_ROOT,
  );
  const packed = JSON.parse(out.slice(out.indexOf('['))) as readonly { filename: string }[];
  const filename = packed[0]?.filename;
  if (!filename) throw new Error(`npm pack named no tarball: ${out}`);
  return join(destination, filename);
}

/** The dependencies the packed package declares, read from the tarball itself. */
async function packedDependencies(tarball: string, scratch: string): Promise<Record<string, unknown>> {
  await runOrThrow('tar', ['-xzf', tarball, '-C', scratch, 'package/package.json'], scratch);
  const manifest = JSON.parse(readFileSync(join(scratch, 'package', 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  return { dependencies: manifest.dependencies ?? {}, optionalDependencies: manifest.optionalDependencies ?? {} };
}

export interface InstallReport {
  readonly tarball: string;
  readonly seconds: number;
  /** True when the dependencies (with their compiled native bindings) came from the cache. */
  readonly fromCache: boolean;
}

/**
 * Installs the packed package into a Node-RED user directory the way a user does (`npm i <tarball>` there).
 *
 * Compiling better-sqlite3 takes about 80 s on Node 20 where no prebuilt binary can be downloaded, so the
 * dependencies of the package (not the package itself) are kept in the cache, keyed by what they are built
 * from: the declared dependency ranges, the Node ABI, platform and architecture. On a hit they are copied into
 * the user directory first and npm finds them already satisfied; the package always comes from the tarball.
 */
export async function installPackedTakt(userDir: string, tarball: string): Promise<InstallReport> {
  const started = Date.now();
  mkdirSync(userDir, { recursive: true });
  const scratch = mkdtempSync(join(userDir, '.unpack-'));
  const deps = await packedDependencies(tarball, scratch);
  rmSync(scratch, { recursive: true, force: true });
  const key = createHash('sha256')
    .update(JSON.stringify([deps, process.versions.modules, process.platform, process.arch]))
    .digest('hex')
    .slice(0, 16);
  const cached = cacheDir('node-red-e2e', `deps-${key}`, 'node_modules');
  const fromCache = existsSync(cached);
  if (!existsSync(join(userDir, 'package.json'))) {
    writeFileSync(join(userDir, 'package.json'), JSON.stringify({ name: 'node-red-user', private: true }, null, 2));
  }
  if (fromCache) cpSync(cached, join(userDir, 'node_modules'), { recursive: true });
  await runOrThrow('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], userDir);
  if (!fromCache) saveDependencies(join(userDir, 'node_modules'), cached);
  return { tarball, seconds: (Date.now() - started) / 1000, fromCache };
}

function saveDependencies(nodeModules: string, cached: string): void {
  const staging = `${cached}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  cpSync(nodeModules, staging, {
    recursive: true,
    filter: (source) => !source.endsWith('/node-red-contrib-takt') && !source.endsWith('/.package-lock.json'),
  });
  mkdirSync(join(cached, '..'), { recursive: true });
  try {
    renameSync(staging, cached);
  } catch {
    // Another run saved the same key first: theirs is as good as ours.
    rmSync(staging, { recursive: true, force: true });
  }
}
