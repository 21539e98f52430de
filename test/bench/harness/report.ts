import type { VariantSummary } from './measure';

/**
 * What one workload reports: its variants side by side, the ratios it is judged by (with the initial targets
 * of the issue, printed with whether they hold), and the correctness figures. A workload that computes a wrong
 * answer throws instead of reporting: a fast wrong answer fails.
 */
export interface Ratio {
  /** R1, R2, … as in the issue and reliability.md §3.3. */
  readonly id: string;
  readonly description: string;
  readonly value: number;
  readonly target: { readonly op: '>=' | '<=' | '='; readonly value: number };
}

export interface WorkloadReport {
  readonly workload: string;
  readonly title: string;
  readonly variants: readonly VariantSummary[];
  readonly ratios: readonly Ratio[];
  readonly correctness: Readonly<Record<string, number | string | boolean>>;
  readonly notes?: readonly string[];
}

/** The line prefix the runner looks for in a workload's output. */
export const REPORT_PREFIX = 'TAKT_BENCH_REPORT ';

export function holds(ratio: Ratio): boolean {
  const { op, value } = ratio.target;
  if (op === '>=') return ratio.value >= value;
  if (op === '<=') return ratio.value <= value;
  return ratio.value === value;
}

export function ratio(
  id: string,
  description: string,
  value: number,
  op: Ratio['target']['op'],
  target: number,
): Ratio {
  return { id, description, value: Math.round(value * 1000) / 1000, target: { op, value: target } };
}

/** Prints the workload's table for people, then one JSON line for the runner. */
export function emitReport(report: WorkloadReport): void {
  const lines: string[] = [`\n${report.workload} — ${report.title}`];
  lines.push(
    pad('variant', 34) +
      pad('records', 10) +
      pad('median ms', 11) +
      pad('min–max ms', 20) +
      pad('rec/s', 11) +
      pad('cpu ms', 10) +
      pad('peak RSS MiB', 13),
  );
  for (const v of report.variants) {
    lines.push(
      pad(v.name, 34) +
        pad(String(v.records), 10) +
        pad(v.medianMs.toFixed(1), 11) +
        pad(`${v.minMs.toFixed(1)}–${v.maxMs.toFixed(1)}`, 20) +
        pad(String(v.recordsPerSec), 11) +
        pad(v.cpuMs.toFixed(0), 10) +
        pad(v.peakRssMiB.toFixed(1), 13),
    );
    if (v.stagesUsPerRecord) {
      const stages = Object.entries(v.stagesUsPerRecord)
        .map(([stage, us]) => `${stage} ${us.toFixed(2)}`)
        .join(' · ');
      lines.push(`${' '.repeat(4)}µs/record: ${stages}`);
    }
  }
  for (const r of report.ratios) {
    lines.push(
      `  ${pad(r.id, 5)}${pad(r.description, 58)}${pad(r.value.toFixed(3), 10)}target ${r.target.op} ${r.target.value}  ${holds(r) ? 'holds' : 'MISSED'}`,
    );
  }
  lines.push(
    `  correctness: ${Object.entries(report.correctness)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ')}`,
  );
  for (const note of report.notes ?? []) lines.push(`  note: ${note}`);
  process.stdout.write(`${lines.join('\n')}\n${REPORT_PREFIX}${JSON.stringify(report)}\n`);
}

function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text + ' '.repeat(width - text.length);
}

/** Throws with a message that names the broken invariant: a benchmark that computes a wrong answer fails. */
export function expectFigure(name: string, actual: unknown, expected: unknown): void {
  if (actual !== expected) {
    throw new Error(`correctness check failed: ${name} was ${String(actual)}, expected ${String(expected)}`);
  }
}
