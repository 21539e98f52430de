import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { nodeRedEntry } from './paths';

/** One node of a flow as the admin API takes it: `credentials` travel inside the node on deploy. */
export interface FlowNode {
  id: string;
  type: string;
  z?: string;
  wires?: string[][];
  credentials?: Record<string, string>;
  [property: string]: unknown;
}

export interface NodeRedOptions {
  readonly userDir: string;
  readonly port: number;
  /** Encrypts the credentials file; Node-RED generates and stores one when omitted. */
  readonly credentialSecret?: string;
  /** Where Node-RED's console output goes; `<userDir>/node-red.log` by default. */
  readonly logFile?: string;
  /** Echo Node-RED's console to this process's stdout (the demo does, the tests do not). */
  readonly echo?: boolean;
  /** More settings.js entries (for example Takt's `taktPollMinIntervalS`). */
  readonly settings?: Readonly<Record<string, unknown>>;
}

/**
 * A real Node-RED 4 process bound to 127.0.0.1, with the admin API open (no adminAuth: loopback only) and the
 * user directory where the packed Takt package was installed. It restarts on the same port and user directory,
 * so flows, credentials and the SQLite store survive a restart the way they do on a gateway.
 */
export class NodeRedHost {
  private static readonly children = new Set<ChildProcess>();

  /**
   * For test runs: when this process exits or is told to stop (a CI timeout, Ctrl+C), every Node-RED it started
   * is killed with it instead of outliving it. The demo handles its own signals and stops Node-RED gracefully.
   */
  static killChildrenOnExit(): void {
    const killAll = (): void => {
      for (const child of NodeRedHost.children) child.kill('SIGKILL');
    };
    process.once('exit', killAll);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        killAll();
        process.exit(signal === 'SIGINT' ? 130 : 143);
      });
    }
  }

  private child: ChildProcess | undefined;
  private log: WriteStream | undefined;
  /** How often Node-RED printed "Started flows": a deploy is done when the count moves. */
  private flowStarts = 0;
  /** Where the flows' HTTP endpoints are (httpNodeRoot '/'). */
  readonly url: string;
  /** Where the editor and the admin API are (httpAdminRoot; '/' unless the settings move it). */
  readonly adminUrl: string;
  readonly logFile: string;

  constructor(private readonly options: NodeRedOptions) {
    this.url = `http://127.0.0.1:${options.port}`;
    const adminRoot = options.settings?.httpAdminRoot;
    this.adminUrl = typeof adminRoot === 'string' ? `${this.url}${adminRoot.replace(/\/+$/, '')}` : this.url;
    this.logFile = options.logFile ?? join(options.userDir, 'node-red.log');
    writeSettings(options);
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    if (this.running) throw new Error('Node-RED is running already');
    this.log = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(
      process.execPath,
      [nodeRedEntry(), '--userDir', this.options.userDir, '--settings', settingsPath(this.options.userDir)],
      { cwd: this.options.userDir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    NodeRedHost.children.add(child);
    child.once('exit', () => NodeRedHost.children.delete(child));
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        this.log?.write(chunk);
        this.flowStarts += chunk.toString().split('[info] Started flows').length - 1;
        if (this.options.echo) process.stdout.write(chunk);
      });
    }
    const before = this.flowStarts;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`Node-RED exited during start (code ${child.exitCode}):\n${this.tail()}`);
      if (await this.ready()) return this.flowsStarted(before, deadline - Date.now());
      await sleep(250);
    }
    throw new Error(`Node-RED did not answer on ${this.adminUrl} within ${timeoutMs} ms:\n${this.tail()}`);
  }

  /** SIGINT lets Node-RED close every node (config nodes release their connections); SIGKILL after the timeout. */
  async stop(timeoutMs = 20_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
    await new Promise<void>((resolve) => (this.log ? this.log.end(resolve) : resolve()));
    this.child = undefined;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /**
   * Replaces every flow (Node-RED-Deployment-Type: full); resolves once Node-RED has started the new flows (the
   * admin API answers before that).
   */
  async deploy(flows: readonly FlowNode[], timeoutMs = 30_000): Promise<void> {
    const before = this.flowStarts;
    const response = await fetch(`${this.adminUrl}/flows`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Node-RED-API-Version': 'v1',
        'Node-RED-Deployment-Type': 'full',
      },
      body: JSON.stringify(flows),
    });
    if (response.status !== 204 && response.status !== 200) {
      throw new Error(`deploy failed: ${response.status} ${await response.text()}\n${this.tail()}`);
    }
    await this.flowsStarted(before, timeoutMs);
  }

  /** Waits for the next "Started flows" after `before` of them (a deploy or a process start). */
  async flowsStarted(before: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.flowStarts <= before) {
      if (Date.now() > deadline) throw new Error(`flows did not start within ${timeoutMs} ms:\n${this.tail()}`);
      await sleep(50);
    }
  }

  /** The deployed flows as Node-RED reports them (credentials are not included). */
  async flows(): Promise<FlowNode[]> {
    const response = await fetch(`${this.adminUrl}/flows`, { headers: { 'Node-RED-API-Version': 'v1' } });
    if (!response.ok) throw new Error(`GET /flows: ${response.status}`);
    return (await response.json()) as FlowNode[];
  }

  /** Presses an inject node's button, as the editor does. */
  async inject(nodeId: string): Promise<void> {
    const response = await fetch(`${this.adminUrl}/inject/${encodeURIComponent(nodeId)}`, { method: 'POST' });
    if (!response.ok) throw new Error(`inject ${nodeId}: ${response.status} ${await response.text()}`);
  }

  /** The node types Node-RED loaded from a module, with load errors if any (GET /nodes). */
  async moduleInfo(module: string): Promise<{ types: string[]; errors: string[]; version: string }> {
    const response = await fetch(`${this.adminUrl}/nodes/${encodeURIComponent(module)}`, {
      headers: { Accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`GET /nodes/${module}: ${response.status} ${await response.text()}`);
    const info = (await response.json()) as {
      version: string;
      nodes: { types: string[]; err?: string; enabled: boolean; loaded: boolean }[];
    };
    return {
      version: info.version,
      types: info.nodes.flatMap((set) => set.types),
      errors: info.nodes.flatMap((set) => (set.err ? [set.err] : [])),
    };
  }

  /** The example flows Node-RED offers under Import › Examples for a module (names without `.json`). */
  async examples(module: string): Promise<string[]> {
    const response = await fetch(`${this.adminUrl}/library/examples/flows/${encodeURIComponent(module)}`);
    if (!response.ok) throw new Error(`GET examples of ${module}: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { fn: string }[]).map((entry) => entry.fn);
  }

  /** One example flow as the editor imports it. */
  async example(module: string, name: string): Promise<FlowNode[]> {
    const response = await fetch(
      `${this.adminUrl}/library/examples/flows/${encodeURIComponent(module)}/${encodeURIComponent(name)}`,
    );
    if (!response.ok) throw new Error(`GET example ${name}: ${response.status} ${await response.text()}`);
    return (await response.json()) as FlowNode[];
  }

  /** The last lines Node-RED printed: what a failed assertion shows to explain itself. */
  tail(lines = 60): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no Node-RED log)';
    }
  }

  private async ready(): Promise<boolean> {
    try {
      const response = await fetch(`${this.adminUrl}/settings`, { signal: AbortSignal.timeout(2_000) });
      return response.ok;
    } catch {
      return false;
    }
  }
}

function settingsPath(userDir: string): string {
  return join(userDir, 'takt-settings.js');
}

/** The settings file: loopback only, no projects, no palette installs, credentials encrypted with a given key. */
function writeSettings(options: NodeRedOptions): void {
  const settings = {
    uiHost: '127.0.0.1',
    uiPort: options.port,
    flowFile: 'flows.json',
    flowFilePretty: true,
    ...(options.credentialSecret ? { credentialSecret: options.credentialSecret } : {}),
    httpNodeRoot: '/',
    editorTheme: { projects: { enabled: false }, tours: false },
    externalModules: { palette: { allowInstall: false } },
    logging: { console: { level: 'info', metrics: false, audit: false } },
    diagnostics: { enabled: false },
    runtimeState: { enabled: false },
    telemetry: { enabled: false },
    ...options.settings,
  };
  writeFileSync(settingsPath(options.userDir), `module.exports = ${JSON.stringify(settings, null, 2)};\n`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
