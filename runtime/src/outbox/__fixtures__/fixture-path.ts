import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** The outbox fixtures run as compiled JavaScript from dist/, like the state fixtures (`tsc -b` first). */
export function startOutboxFixture(name: string, args: readonly string[]): ChildProcess {
  const file = join(__dirname, '..', '..', '..', 'dist', 'outbox', '__fixtures__', `${name}.js`);
  return spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}
