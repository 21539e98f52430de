import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import Database from 'better-sqlite3';

import {
  freePort,
  killGroup,
  runCommand,
  startBackground,
  waitFor,
  type Background,
  type CommandResult,
} from './processes';

/**
 * One real n8n instance: a user folder of its own (database, community packages, encryption key), driven through
 * n8n's CLI (`import:*`, `publish:workflow`, `execute`) and `n8n start` for what only a running server does
 * (polling triggers, production webhooks). Every command runs under Node 24 from the cached install.
 */

export interface NodeItem {
  readonly json: Record<string, unknown>;
  readonly pairedItem?: unknown;
}

/** One run of one node in an execution: its items per output (main outputs only) or its error. */
export interface NodeRun {
  readonly executionStatus?: string;
  readonly outputs: readonly (readonly NodeItem[])[];
  readonly error?: { readonly message?: string; readonly description?: string };
}

export interface Execution {
  readonly id: string;
  readonly workflowId: string;
  readonly status: string;
  readonly mode: string;
  readonly runData: Readonly<Record<string, readonly NodeRun[]>>;
  readonly error?: string;
}

export interface N8nHostOptions {
  /** The cached install (`ensure-n8n.sh` prints it). */
  readonly installDir: string;
  /** The Node 24 binary n8n runs on. */
  readonly node: string;
  /** This instance's folder: N8N_USER_FOLDER, logs. */
  readonly folder: string;
}

export class N8nHost {
  readonly userFolder: string;
  readonly n8nFolder: string;
  private readonly bin: string;
  private readonly encryptionKey = randomBytes(24).toString('hex');
  private server: (Background & { port: number }) | undefined;
  private logCount = 0;

  constructor(private readonly options: N8nHostOptions) {
    this.userFolder = join(options.folder, 'user');
    this.n8nFolder = join(this.userFolder, '.n8n');
    this.bin = join(options.installDir, 'node_modules', 'n8n', 'bin', 'n8n');
    mkdirSync(this.n8nFolder, { recursive: true });
  }

  /** Where community packages live: `<user folder>/.n8n/nodes`, as n8n's own installer uses it. */
  get nodesFolder(): string {
    return join(this.n8nFolder, 'nodes');
  }

  async env(extra: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> {
    const nodeBin = join(this.options.node, '..');
    return {
      ...process.env,
      PATH: `${nodeBin}:${process.env.PATH ?? ''}`,
      N8N_USER_FOLDER: this.userFolder,
      N8N_ENCRYPTION_KEY: this.encryptionKey,
      N8N_DIAGNOSTICS_ENABLED: 'false',
      N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
      N8N_TEMPLATES_ENABLED: 'false',
      N8N_PERSONALIZATION_ENABLED: 'false',
      N8N_RUNNERS_ENABLED: 'false',
      // The task broker listens on a fixed port by default; two n8n processes (or another project's) would collide.
      N8N_RUNNERS_BROKER_PORT: String(await freePort()),
      N8N_LOG_LEVEL: 'info',
      N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
      DB_SQLITE_POOL_SIZE: '2',
      ...extra,
    };
  }

  /** `n8n <args>` to its end; throws with the tail of its output unless it exits 0. */
  async cli(args: readonly string[], timeoutMs = 120_000): Promise<CommandResult> {
    const result = await runCommand(this.options.node, [this.bin, ...args], {
      cwd: this.options.folder,
      env: await this.env(),
      timeoutMs,
    });
    if (result.code !== 0) {
      throw new Error(
        `n8n ${args.join(' ')} exited ${String(result.code ?? result.signal)}:\n${tail(result.stdout)}\n${tail(result.stderr)}`,
      );
    }
    return result;
  }

  /** `n8n execute --id --rawOutput`: the run data printed on stdout (after n8n's own log lines). */
  async execute(workflowId: string, timeoutMs = 180_000): Promise<{ execution: Execution; ms: number }> {
    const result = await runCommand(this.options.node, [this.bin, 'execute', `--id=${workflowId}`, '--rawOutput'], {
      cwd: this.options.folder,
      env: await this.env(),
      timeoutMs,
    });
    const start = result.stdout.search(/^\{$/m);
    if (result.code !== 0 || start < 0) {
      throw new Error(
        `n8n execute --id=${workflowId} exited ${String(result.code ?? result.signal)}:\n${tail(result.stdout)}\n${tail(result.stderr)}`,
      );
    }
    const raw = JSON.parse(result.stdout.slice(start)) as RawRun;
    return {
      execution: toExecution({ id: 'cli', workflowId, status: raw.status ?? 'success', mode: 'cli' }, raw),
      ms: result.ms,
    };
  }

  /** Starts `n8n start` on loopback and a free port; resolves once it answers its readiness probe. */
  async start(timeoutMs = 120_000): Promise<number> {
    if (this.server) throw new Error('n8n is already running');
    const port = await freePort();
    this.logCount += 1;
    const logFile = join(this.options.folder, `n8n-start-${this.logCount}.log`);
    const background = startBackground(this.options.node, [this.bin, 'start'], {
      cwd: this.options.folder,
      env: await this.env({ N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_HOST: '127.0.0.1' }),
      logFile,
    });
    this.server = { ...background, port };
    let exited = false;
    void background.exited.then(() => {
      exited = true;
    });
    await waitFor(
      `n8n start to answer on port ${port} (log: ${logFile})`,
      async () => {
        if (exited) throw new Error(`n8n start exited early:\n${tail(readFileSync(logFile, 'utf8'))}`);
        try {
          const response = await fetch(`http://127.0.0.1:${port}/healthz/readiness`);
          return response.ok ? true : undefined;
        } catch {
          return undefined;
        }
      },
      timeoutMs,
      500,
    );
    return port;
  }

  get serverUrl(): string {
    if (!this.server) throw new Error('n8n is not running');
    return `http://127.0.0.1:${this.server.port}`;
  }

  get serverPid(): number | undefined {
    return this.server?.child.pid;
  }

  /** Stops the server: SIGTERM (n8n finishes running executions) or SIGKILL (a crash). */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM', timeoutMs = 30_000): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    killGroup(server.child, signal);
    const timer = setTimeout(() => killGroup(server.child, 'SIGKILL'), timeoutMs);
    await server.exited;
    clearTimeout(timer);
  }

  /** Executions recorded in n8n's own database, oldest first, with their run data. */
  executions(workflowId?: string): Execution[] {
    const file = join(this.n8nFolder, 'database.sqlite');
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const rows = db
        .prepare(
          `SELECT e.id AS id, e.workflowId AS workflowId, e.status AS status, e.mode AS mode, d.data AS data
             FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id
            ${workflowId === undefined ? '' : 'WHERE e.workflowId = ?'} ORDER BY e.id`,
        )
        .all(...(workflowId === undefined ? [] : [workflowId])) as {
        id: number;
        workflowId: string;
        status: string;
        mode: string;
        data: string | null;
      }[];
      return rows.map((row) =>
        toExecution(
          { id: String(row.id), workflowId: row.workflowId, status: row.status, mode: row.mode },
          row.data === null ? {} : (this.unflatten(row.data) as RawRun),
        ),
      );
    } finally {
      db.close();
    }
  }

  /** n8n stores run data in the `flatted` format; read it with n8n's own copy of that library. */
  private unflatten(text: string): unknown {
    const requireFromN8n = createRequire(join(this.options.installDir, 'node_modules', 'n8n', 'package.json'));
    const flatted = requireFromN8n('flatted') as { parse: (text: string) => unknown };
    return flatted.parse(text);
  }
}

interface RawRun {
  readonly status?: string;
  readonly data?: { readonly resultData?: RawResultData };
  readonly resultData?: RawResultData;
}

interface RawResultData {
  readonly runData?: Record<string, RawNodeRun[]>;
  readonly error?: { readonly message?: string };
}

interface RawNodeRun {
  readonly executionStatus?: string;
  readonly data?: { readonly main?: (NodeItem[] | null)[] };
  readonly error?: { readonly message?: string; readonly description?: string };
}

/** `n8n execute` prints `{ data: { resultData } }`; the database holds `{ resultData }`. */
function toExecution(head: Omit<Execution, 'runData' | 'error'>, raw: RawRun): Execution {
  const resultData = raw.data?.resultData ?? raw.resultData ?? {};
  const runData: Record<string, NodeRun[]> = {};
  for (const [name, runs] of Object.entries(resultData.runData ?? {})) {
    runData[name] = runs.map((run) => ({
      ...(run.executionStatus === undefined ? {} : { executionStatus: run.executionStatus }),
      outputs: (run.data?.main ?? []).map((output) => output ?? []),
      ...(run.error === undefined ? {} : { error: run.error }),
    }));
  }
  const message = resultData.error?.message;
  return { ...head, runData, ...(message === undefined ? {} : { error: message }) };
}

/** Output items of a node's first run, output `index` (0 = the main output). */
export function itemsOf(execution: Execution, node: string, index = 0): readonly NodeItem[] {
  const runs = execution.runData[node];
  if (!runs || runs.length === 0) {
    throw new Error(
      `Node "${node}" did not run in execution ${execution.id} (ran: ${Object.keys(execution.runData).join(', ')})`,
    );
  }
  const run = runs[0];
  if (run?.error) throw new Error(`Node "${node}" failed: ${run.error.message ?? ''} ${run.error.description ?? ''}`);
  return run?.outputs[index] ?? [];
}

export function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}
