// Lints the n8n package with n8n's community-node rules, using the toolchain n8n's own node CLI (@n8n/node-cli
// 0.48.3, released with n8n 2.41) pins: @n8n/eslint-plugin-community-nodes 0.32.0 on eslint 9.29.0 and
// typescript-eslint 8.35.0. It is installed once into ${TAKT_CACHE_DIR:-~/.cache/takt}/n8n-lint-<version>, not
// into the repository: the plugin pins eslint 9.29.0 as a peer while the repository lints with a newer eslint 9,
// typescript-eslint 8.35 accepts TypeScript < 5.9 only, and forcing either into the root tree would take an
// `overrides` entry, which the plugin's own no-overrides-field rule forbids in a community package.
//
// Usage: node scripts/lint-n8n.mjs [extra eslint arguments]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PLUGIN_VERSION = '0.32.0';
const TOOLCHAIN = [
  `@n8n/eslint-plugin-community-nodes@${PLUGIN_VERSION}`,
  'eslint@9.29.0',
  'typescript-eslint@8.35.0',
  'typescript@5.8.3',
  'n8n-workflow@2.41.0',
];

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = process.env.TAKT_CACHE_DIR || join(homedir(), '.cache', 'takt');
const toolchain = join(cacheDir, `n8n-lint-${PLUGIN_VERSION}`);
const eslintBin = join(toolchain, 'node_modules', 'eslint', 'bin', 'eslint.js');
const plugin = join(toolchain, 'node_modules', '@n8n', 'eslint-plugin-community-nodes', 'package.json');

if (!existsSync(eslintBin) || !existsSync(plugin)) {
  mkdirSync(toolchain, { recursive: true });
  writeFileSync(join(toolchain, 'package.json'), '{ "private": true }\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--prefix', toolchain, ...TOOLCHAIN], {
    stdio: 'inherit',
  });
}

try {
  execFileSync(
    process.execPath,
    [
      eslintBin,
      '--config',
      join(root, 'eslint.n8n.config.mjs'),
      '--max-warnings',
      '0',
      ...process.argv.slice(2),
      'nodes',
      'credentials',
      'package.json',
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, TAKT_N8N_LINT_DIR: toolchain } },
  );
} catch (error) {
  process.exit(typeof error.status === 'number' ? error.status : 1);
}
