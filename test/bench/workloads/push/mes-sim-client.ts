import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import type { MesAnswer, MesQuestion, MesReady } from './mes-protocol';

type Question = MesQuestion extends infer Q ? (Q extends MesQuestion ? Omit<Q, 'id'> : never) : never;
type AnswerOf<T extends MesQuestion['type']> = Extract<MesAnswer, { type: T }>;

/**
 * W5's handle on the MES simulator child: its API root, and questions answered over IPC. `close()` (also
 * run when the bench process exits) disconnects, which makes the child close its server and exit.
 */
export class MesSimulatorProcess {
  private nextId = 1;
  private readonly pending = new Map<number, (answer: MesAnswer) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {
    child.on('message', (message: MesAnswer) => {
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      resolve?.(message);
    });
    process.once('exit', () => child.kill('SIGKILL'));
  }

  static async start(): Promise<MesSimulatorProcess> {
    const child = fork(join(__dirname, 'mes-sim-process.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const baseUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the MES simulator did not start within 30 s')), 30_000);
      child.once('message', (message: MesReady) => {
        clearTimeout(timer);
        resolve(message.baseUrl);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the MES simulator exited (${String(code)}) before it listened`));
      });
    });
    return new MesSimulatorProcess(child, baseUrl);
  }

  ask<T extends MesQuestion['type']>(question: Question & { readonly type: T }): Promise<AnswerOf<T>> {
    const id = this.nextId++;
    return new Promise<AnswerOf<T>>((resolve, reject) => {
      this.pending.set(id, (answer) => {
        if (answer.type === 'error') reject(new Error(`MES simulator: ${answer.message}`));
        else if (answer.type !== question.type)
          reject(new Error(`MES simulator answered ${answer.type} to ${question.type}`));
        else resolve(answer as AnswerOf<T>);
      });
      this.child.send({ ...question, id });
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.disconnect();
    else this.child.kill('SIGTERM');
    await exited;
  }
}
