import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Child processes for the workloads that measure memory or CPU: the simulator runs apart so its cost is not
 * the bench's, and each measured size runs apart so its peak RSS is its own. Every child started here is
 * killed when the workload's process exits, whatever way it exits.
 */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface LineChild {
  readonly child: ChildProcess;
  /** Resolves with the first stdout line matching `pattern`'s first group; rejects if the child ends first. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** Resolves with the exit code once the child has ended. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Starts `node <args>` with stdout read line by line: lines that start with a prefix in `capture` are kept
 * for the caller, every other line is passed through (indented) so the child's own output stays visible.
 */
export function startNode(
  args: readonly string[],
  capture: readonly string[] = [],
): LineChild & {
  readonly captured: string[];
} {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  running.add(child);
  const captured: string[] = [];
  const waiters: { pattern: RegExp; resolve: (value: string) => void }[] = [];
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (capture.some((prefix) => line.startsWith(prefix))) captured.push(line);
      else if (line.trim() !== '') process.stdout.write(`    | ${line}\n`);
      for (const waiter of [...waiters]) {
        const match = waiter.pattern.exec(line);
        if (match) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(match[1] ?? line);
        }
      }
      newline = buffered.indexOf('\n');
    }
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (code) => {
      running.delete(child);
      resolve(code);
    });
  });
  return {
    child,
    captured,
    exited,
    waitFor: (pattern, timeoutMs) =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no line matching ${String(pattern)} within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value);
          },
        });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`child ended (exit ${String(code)}) before printing ${String(pattern)}`));
        });
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
