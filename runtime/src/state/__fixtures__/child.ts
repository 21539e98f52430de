import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/**
 * Fixtures run as compiled JavaScript from dist/ (`npm test` builds first), so a child is a plain `node`
 * process like the ones hosts run — no transpiler in the crash path.
 */
export function fixturePath(name: string): string {
  return join(__dirname, '..', '..', '..', 'dist', 'state', '__fixtures__', `${name}.js`);
}

export function startFixture(name: string, args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [fixturePath(name), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

export function waitForLine(child: ChildProcess, line: string, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    let errors = '';
    const timer = setTimeout(
      () => reject(new Error(`child did not print "${line}" in ${timeoutMs} ms: ${errors}`)),
      timeoutMs,
    );
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.split('\n').includes(line)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code}) before printing "${line}": ${errors}`));
    });
  });
}

export function output(child: ChildProcess, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let errors = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child did not finish in ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`child exited with ${code}: ${errors}`));
    });
  });
}

export function killed(child: ChildProcess): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.signalCode);
    else child.once('exit', (_code, signal) => resolve(signal));
  });
}
