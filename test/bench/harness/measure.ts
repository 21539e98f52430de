import { performance } from 'node:perf_hooks';

/**
 * One measured variant of a workload: 1 warm-up and 5 measured iterations by default, each timed whole,
 * reported as the median with the min–max spread (reliability.md §3.3). Absolute times on a shared machine
 * are noise; the ratios between variants measured in the same process run are what the reports compare.
 */
export interface IterationResult {
  /** Records the iteration processed: the rate is records / wall time. */
  readonly records: number;
  /** Milliseconds spent per stage (map, hash, plan, commit, push…), summed over the iteration. */
  readonly stages?: Readonly<Record<string, number>>;
  /** Figures the workload checks for correctness (writes, rows, watermark…), from the last iteration. */
  readonly checks?: Readonly<Record<string, number | string | boolean>>;
}

export interface VariantSummary {
  readonly name: string;
  readonly iterations: number;
  readonly records: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Records per second at the median time. */
  readonly recordsPerSec: number;
  /** Median per-stage cost, in microseconds per record. */
  readonly stagesUsPerRecord?: Readonly<Record<string, number>>;
  /** CPU time (user + system) of the median iteration, ms. */
  readonly cpuMs: number;
  /** Heap in use after a forced GC at the end (MiB); undefined without --expose-gc. */
  readonly heapUsedAfterGcMiB: number | undefined;
  /** The process's peak resident set so far (MiB): meaningful for the first or only variant of a process. */
  readonly peakRssMiB: number;
  readonly checks: Readonly<Record<string, number | string | boolean>>;
}

export interface MeasureOptions {
  readonly warmUp?: number;
  readonly iterations?: number;
}

export async function measure(
  name: string,
  iteration: (index: number) => Promise<IterationResult> | IterationResult,
  options: MeasureOptions = {},
): Promise<VariantSummary> {
  const warmUp = options.warmUp ?? 1;
  const iterations = options.iterations ?? 5;
  for (let i = 0; i < warmUp; i++) await iteration(-1 - i);
  const samples: { ms: number; cpuMs: number; result: IterationResult }[] = [];
  for (let i = 0; i < iterations; i++) {
    collectGarbage();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const result = await iteration(i);
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    samples.push({ ms, cpuMs: (cpu.user + cpu.system) / 1000, result });
  }
  const sorted = [...samples].sort((a, b) => a.ms - b.ms);
  const median = sorted[Math.floor(sorted.length / 2)];
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (!median || !first || !last) throw new Error(`${name}: no iterations measured`);
  const records = median.result.records;
  const heap = collectGarbage() ? process.memoryUsage().heapUsed / 2 ** 20 : undefined;
  return {
    name,
    iterations,
    records,
    medianMs: round(median.ms),
    minMs: round(first.ms),
    maxMs: round(last.ms),
    recordsPerSec: Math.round(records / (median.ms / 1000)),
    ...(median.result.stages ? { stagesUsPerRecord: perRecord(samples, records) } : {}),
    cpuMs: round(median.cpuMs),
    heapUsedAfterGcMiB: heap === undefined ? undefined : round(heap),
    peakRssMiB: round(process.resourceUsage().maxRSS / 1024),
    checks: samples[samples.length - 1]?.result.checks ?? {},
  };
}

/** Median over iterations of each stage's µs per record. */
function perRecord(samples: readonly { result: IterationResult }[], records: number): Record<string, number> {
  const stages = new Set(samples.flatMap((sample) => Object.keys(sample.result.stages ?? {})));
  const out: Record<string, number> = {};
  for (const stage of stages) {
    const values = samples.map((sample) => sample.result.stages?.[stage] ?? 0).sort((a, b) => a - b);
    const mid = values[Math.floor(values.length / 2)] ?? 0;
    out[stage] = round((mid * 1000) / Math.max(1, records));
  }
  return out;
}

/** Runs a full GC when the process was started with --expose-gc; says whether it could. */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  gc();
  return true;
}

/** Accumulates wall time per stage inside an iteration: `const t = stages.start('map'); …; t();`. */
export class StageClock {
  private readonly totals: Record<string, number> = {};

  start(stage: string): () => void {
    const began = performance.now();
    return () => {
      this.totals[stage] = (this.totals[stage] ?? 0) + performance.now() - began;
    };
  }

  async time<T>(stage: string, work: () => Promise<T> | T): Promise<T> {
    const stop = this.start(stage);
    try {
      return await work();
    } finally {
      stop();
    }
  }

  get stages(): Readonly<Record<string, number>> {
    return { ...this.totals };
  }
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
