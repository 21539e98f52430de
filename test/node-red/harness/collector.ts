import { createServer, type Server } from 'node:http';
import { type FlowNode, sleep } from './node-red-host';

/** A message a flow handed to the collector: the tap's tag and the message without req / res. */
export interface Collected {
  readonly tag: string;
  readonly msg: Record<string, unknown>;
  readonly at: number;
}

/**
 * An HTTP endpoint in the test process that flows post to. Node-RED's own `http request` node delivers, so
 * what arrives is what the flow emitted in the real host; the tests wait on it instead of sleeping.
 */
export class Collector {
  private readonly received: Collected[] = [];
  private server: Server | undefined;
  private port = 0;

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            tag: string;
            msg: Record<string, unknown>;
          };
          this.received.push({ tag: body.tag, msg: body.msg, at: Date.now() });
          response.writeHead(204).end();
        } catch {
          response.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/collect`;
  }

  all(tag?: string): Collected[] {
    return this.received.filter((entry) => tag === undefined || entry.tag === tag);
  }

  clear(): void {
    this.received.length = 0;
  }

  /** Waits until `count` messages with this tag arrived (or the predicate holds); throws with what came instead. */
  async waitFor(tag: string, count = 1, timeoutMs = 30_000, describe = ''): Promise<Collected[]> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.all(tag);
      if (found.length >= count) return found;
      await sleep(100);
    }
    const seen = this.received.map((entry) => `${entry.tag}: ${JSON.stringify(entry.msg).slice(0, 400)}`);
    throw new Error(
      `waited ${timeoutMs} ms for ${count} message(s) tagged "${tag}"${describe ? ` (${describe})` : ''}, ` +
        `got ${this.all(tag).length}. Collected so far:\n${seen.slice(-15).join('\n')}`,
    );
  }

  /**
   * Taps a flow: every message that reaches a debug node is also posted here, tagged with the debug node's name
   * (or id), and every error a node reports with done(err) arrives tagged `error`, every status change tagged
   * `status`. The tapped flow is the example as shipped plus these extra nodes; nothing in it is replaced.
   */
  tap(flows: readonly FlowNode[]): FlowNode[] {
    const out = flows.map((node) => ({ ...node }));
    const tabs = new Set(out.filter((node) => node.type === 'tab').map((node) => node.id));
    const extra: FlowNode[] = [];
    let serial = 0;
    const sinkFor = (z: string | undefined, tag: string): string => {
      serial += 1;
      const fn = `tap-fn-${serial}`;
      const post = `tap-post-${serial}`;
      extra.push(
        {
          id: fn,
          type: 'function',
          z,
          name: `tap ${tag}`,
          func: TAP_FUNCTION.replace('__TAG__', JSON.stringify(tag)),
          outputs: 1,
          wires: [[post]],
        },
        { id: post, type: 'http request', z, method: 'POST', ret: 'txt', url: this.url, tls: '', wires: [[]] },
      );
      return fn;
    };
    const taps = new Map<string, string>();
    for (const node of out) {
      if (node.type !== 'debug') continue;
      taps.set(node.id, sinkFor(node.z, typeof node.name === 'string' && node.name ? node.name : node.id));
    }
    for (const node of out) {
      if (!node.wires) continue;
      node.wires = node.wires.map((port) => {
        const added = port.flatMap((target) => {
          const tap = taps.get(target);
          return tap ? [tap] : [];
        });
        return [...port, ...added];
      });
    }
    for (const tab of tabs) {
      // Scoped to the example's own nodes: the taps' http request nodes report status too.
      const scope = out.filter((node) => node.z === tab && node.type !== 'debug').map((node) => node.id);
      if (scope.length === 0) continue;
      serial += 1;
      const catchId = `tap-catch-${serial}`;
      extra.push({ id: catchId, type: 'catch', z: tab, scope, uncaught: false, wires: [[sinkFor(tab, 'error')]] });
      serial += 1;
      const statusId = `tap-status-${serial}`;
      extra.push({ id: statusId, type: 'status', z: tab, scope, wires: [[sinkFor(tab, 'status')]] });
    }
    return [...out, ...extra];
  }
}

/** Copies the message without the HTTP request / response objects (they are not JSON) and posts it. */
const TAP_FUNCTION = `const copy = {};
for (const key of Object.keys(msg)) {
  if (key !== 'req' && key !== 'res') copy[key] = msg[key];
}
return { payload: { tag: __TAG__, msg: copy }, headers: { 'content-type': 'application/json' } };`;
