import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { resourcePool } from '@takt/runtime';
import helper from 'node-red-node-test-helper';

import type { NodeMessage, NodeRedApi, NodeRedNode, NodeStatus } from '../shared/node-red';

/**
 * node-red-node-test-helper set up for Takt's node tests: a fresh userDir per suite (the default SQLite
 * file goes there), a probe that captures the `RED` object (for RED.httpNode), and small waits for messages
 * and statuses. Node-RED swallows exceptions thrown in flows, so tests await these promises instead of
 * asserting inside handlers.
 */

export { helper };

export type NodeModule = (RED: NodeRedApi) => void;

export interface RedTestContext {
  readonly userDir: string;
  /** The RED object the nodes were given (set by the probe on every `load`). */
  red(): NodeRedApi;
  /** Loads the node modules and the flow; credentials by node id. */
  load(
    modules: readonly NodeModule[],
    flow: readonly { id: string; type: string; [key: string]: unknown }[],
    credentials?: Readonly<Record<string, Readonly<Record<string, string>>>>,
  ): Promise<void>;
  /** Unloads the flow (closes every node and awaits their close handlers); harmless when nothing is loaded. */
  unload(): Promise<void>;
  /** Removes the userDir (afterAll). */
  dispose(): void;
}

/** A node of a test flow, as Node-RED's flow JSON has it. */
export interface FlowNode {
  id: string;
  type: string;
  [key: string]: unknown;
}

let initialised = false;

export function redTestContext(settings: Record<string, unknown> = {}): RedTestContext {
  const userDir = mkdtempSync(join(tmpdir(), 'takt-nr-'));
  let captured: NodeRedApi | undefined;
  let loaded = false;
  const probe: NodeModule = (RED) => {
    captured = RED;
  };
  if (!initialised) {
    helper.init(require.resolve('node-red'));
    initialised = true;
  }
  return {
    userDir,
    red: () => {
      if (captured === undefined) throw new Error('load() has not run');
      return captured;
    },
    async load(modules, flow, credentials) {
      if (loaded) await this.unload();
      helper.settings({ userDir, ...settings });
      loaded = true;
      await helper.load([probe, ...modules] as never[], flow, credentials);
    },
    async unload() {
      if (!loaded) return;
      loaded = false;
      await helper.unload();
    },
    dispose() {
      rmSync(userDir, { recursive: true, force: true });
    },
  };
}

/**
 * The setup every node test suite shares, registered as hooks of the calling `describe`: a fresh
 * `redTestContext(settings)`, the flow unloaded after each test, and the process-wide resource pool closing
 * idle connections and stores at once (so a released store is closed when the test checks), restored after.
 */
export function useRedSuite(settings: Record<string, unknown> = {}): RedTestContext {
  const ctx = redTestContext(settings);
  const pool = resourcePool();
  const idleBefore = pool.idleMs;
  beforeAll(() => {
    pool.idleMs = 0;
  });
  afterEach(() => ctx.unload());
  afterAll(() => {
    pool.idleMs = idleBefore;
    ctx.dispose();
  });
  return ctx;
}

/** Hands `msg` to a node of the loaded flow as if a wire delivered it. */
export function receive(id: string, msg: NodeMessage): void {
  node<NodeRedNode & { receive(msg: NodeMessage): void }>(id).receive(msg);
}

/** A node from the loaded flow, typed. */
export function node<N = NodeRedNode>(id: string): N {
  const found = helper.getNode(id);
  if (found === null || found === undefined) throw new Error(`node ${id} is not in the flow`);
  return found as N;
}

/** The next `count` messages that reach a helper node. */
export function messages(helperNodeId: string, count = 1, timeoutMs = 10_000): Promise<NodeMessage[]> {
  const sink = node<NodeRedNode & { on(event: 'input', fn: (msg: NodeMessage) => void): void }>(helperNodeId);
  return new Promise((resolve, reject) => {
    const got: NodeMessage[] = [];
    const timer = setTimeout(
      () => reject(new Error(`${helperNodeId}: ${got.length} of ${count} messages within ${timeoutMs} ms`)),
      timeoutMs,
    );
    sink.on('input', (msg: NodeMessage) => {
      got.push(msg);
      if (got.length === count) {
        clearTimeout(timer);
        resolve(got);
      }
    });
  });
}

/** Resolves when `nodeId` shows a status that `match` accepts (Node-RED test helper emits `call:status`). */
export function statusWhere(
  nodeId: string,
  match: (status: NodeStatus) => boolean,
  timeoutMs = 10_000,
): Promise<NodeStatus> {
  const target = node<NodeRedNode & { on(event: 'call:status', fn: (call: { args: [NodeStatus] }) => void): void }>(
    nodeId,
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${nodeId}: no matching status within ${timeoutMs} ms`)),
      timeoutMs,
    );
    target.on('call:status', (call) => {
      const status = call.args[0];
      if (match(status)) {
        clearTimeout(timer);
        resolve(status);
      }
    });
  });
}

/**
 * Resolves with the first argument of the next `node.<method>(…)` call on `nodeId` that `match` accepts
 * (`error` also catches `done(err)`, which Node-RED routes through node.error with the Error object; the
 * helper reports calls a tick late, so a deploy-time call can arrive after `load` resolved).
 */
export function nextCall(
  nodeId: string,
  method: 'error' | 'warn' | 'log' | 'send' | 'status',
  match: (arg: unknown) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<unknown> {
  const target = node<NodeRedNode & { on(event: string, fn: (call: { args: unknown[] }) => void): void }>(nodeId);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${nodeId}: no ${method} call within ${timeoutMs} ms`)), timeoutMs);
    target.on(`call:${method}`, (call) => {
      if (!match(call.args[0])) return;
      clearTimeout(timer);
      resolve(call.args[0]);
    });
  });
}

/**
 * Every `node.<method>(…)` call on `nodeId` so far, first arguments in order. Calls made while the flow
 * starts (in a constructor) are reported by the helper a tick late, so a listener attached after `load` can
 * miss them; this reads the helper's spy instead.
 */
export function callsSoFar(nodeId: string, method: 'error' | 'warn' | 'log' | 'send' | 'status'): unknown[] {
  const target = node<Record<string, unknown>>(nodeId);
  const spy = target[method] as { getCalls?: () => { thisValue: unknown; args: unknown[] }[] };
  if (typeof spy.getCalls !== 'function') throw new Error(`node.${method} is not spied on (is a flow loaded?)`);
  return spy
    .getCalls()
    .filter((call) => call.thisValue === target)
    .map((call) => call.args[0]);
}
