/** One named part of the run and what it measured. */
export interface Outcome {
  readonly name: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly figures: readonly string[];
  readonly error?: string;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Runs one named step, catching its failure so the other blueprints still run and report. */
export async function step(name: string, body: (figures: string[]) => Promise<void>): Promise<Outcome> {
  log(`\n== ${name}`);
  const started = Date.now();
  const figures: string[] = [];
  try {
    await body(figures);
    for (const figure of figures) log(`  ${figure}`);
    log(`  ok (${Date.now() - started} ms)`);
    return { name, ok: true, ms: Date.now() - started, figures };
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    for (const figure of figures) log(`  ${figure}`);
    log(`  FAILED: ${message}`);
    return { name, ok: false, ms: Date.now() - started, figures, error: message };
  }
}
