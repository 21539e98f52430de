/**
 * `npm run bench`: every workload in a process of its own (so peak RSS and heap belong to one workload), one
 * after another, each printing its table; then one summary of the ratios with the issue's initial targets and
 * whether they hold, and `bench-results.json` at the repository root with every median, min–max and ratio.
 *
 * `npm run bench -- W1 W5` runs only those. A workload that fails its correctness checks (or crashes) makes
 * the run exit 1; a missed target does not: targets are initial values, printed to be read, not gates.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_PREFIX, holds, type WorkloadReport } from './harness/report';

interface Workload {
  readonly id: string;
  readonly file: string;
}

/** In the order they run; the ids each file reports are listed for `npm run bench -- <id>`. */
const WORKLOADS: readonly (Workload & { readonly reports: readonly string[] })[] = [
  { id: 'W1', file: 'w1-sqlite.js', reports: ['W1', 'W3'] },
  { id: 'W4', file: 'w4-postgres.js', reports: ['W4'] },
  { id: 'W2', file: 'w2-streaming.js', reports: ['W2'] },
  { id: 'W5', file: 'w5-push.js', reports: ['W5'] },
];

async function runWorkload(workload: Workload): Promise<{ reports: WorkloadReport[]; ok: boolean }> {
  const reports: WorkloadReport[] = [];
  const child = spawn(process.execPath, ['--expose-gc', join(__dirname, 'workloads', workload.file)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.startsWith(REPORT_PREFIX)) reports.push(JSON.parse(line.slice(REPORT_PREFIX.length)) as WorkloadReport);
      else process.stdout.write(`${line}\n`);
      newline = buffered.indexOf('\n');
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { reports, ok: code === 0 };
}

async function main(): Promise<void> {
  const wanted = new Set(process.argv.slice(2).map((arg) => arg.toUpperCase()));
  const chosen = WORKLOADS.filter((w) => wanted.size === 0 || w.reports.some((id) => wanted.has(id)));
  if (chosen.length === 0) {
    process.stderr.write(
      `No workload matches ${[...wanted].join(', ')}; known: ${WORKLOADS.flatMap((w) => w.reports).join(', ')}\n`,
    );
    process.exitCode = 2;
    return;
  }
  const all: WorkloadReport[] = [];
  const failed: string[] = [];
  for (const workload of chosen) {
    process.stdout.write(`\n=== ${workload.reports.join(' + ')} (${workload.file}) ===\n`);
    const { reports, ok } = await runWorkload(workload);
    all.push(...reports);
    if (!ok) failed.push(workload.id);
  }
  process.stdout.write('\nRatio            value      target      verdict\n');
  for (const report of all) {
    for (const r of report.ratios) {
      process.stdout.write(
        `${`${r.id} (${report.workload})`.padEnd(17)}${r.value.toFixed(3).padEnd(11)}${`${r.target.op} ${r.target.value}`.padEnd(12)}${holds(r) ? 'holds' : 'MISSED'}  ${r.description}\n`,
      );
    }
  }
  const file = join(__dirname, '..', '..', '..', 'bench-results.json');
  writeFileSync(file, `${JSON.stringify({ node: process.version, reports: all, failed }, null, 2)}\n`);
  process.stdout.write(`\nWrote bench-results.json${failed.length ? `; FAILED: ${failed.join(', ')}` : ''}\n`);
  if (failed.length > 0) process.exitCode = 1;
}

void main();
