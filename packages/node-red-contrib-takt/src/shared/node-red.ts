import type { IncomingMessage, ServerResponse } from 'node:http';

import type { TaktItemMeta } from '@takt/runtime';

/**
 * The part of Node-RED's node API that Takt's nodes use, typed here because node-red ships no types
 * (https://nodered.org/docs/creating-nodes/node-js). Kept to what we call, so a Node-RED change that matters
 * shows up as a compile error in one place.
 */

export type StatusFill = 'red' | 'green' | 'yellow' | 'blue' | 'grey';

export interface NodeStatus {
  readonly fill?: StatusFill;
  readonly shape?: 'ring' | 'dot';
  readonly text?: string;
}

/** A flow message; Takt's metadata travels in `_takt`. */
export interface NodeMessage {
  _msgid?: string;
  payload?: unknown;
  topic?: string;
  _takt?: TaktItemMeta;
  [property: string]: unknown;
}

/** `send(msg)` for one output, `send([msgA, msgB])` for several (null skips an output). */
export type SendFn = (msg: NodeMessage | readonly (NodeMessage | readonly NodeMessage[] | null)[] | null) => void;
export type DoneFn = (err?: Error) => void;

/** A node's configuration from the flow (the editor's `defaults`), untyped until the adapter reads it. */
export interface NodeDef {
  readonly id: string;
  readonly type: string;
  readonly name?: string;
  readonly z?: string;
  readonly [property: string]: unknown;
}

export interface NodeRedNode {
  readonly id: string;
  readonly type: string;
  readonly name?: string;
  on(event: 'input', listener: (msg: NodeMessage, send: SendFn, done: DoneFn) => void): this;
  on(event: 'close', listener: (removed: boolean, done: () => void) => void): this;
  send(msg: NodeMessage | readonly (NodeMessage | null)[]): void;
  status(status: NodeStatus): void;
  error(error: unknown, msg?: NodeMessage): void;
  warn(message: unknown): void;
  log(message: unknown): void;
  debug(message: unknown): void;
}

/** A node with credentials (declared in `registerType`, stored encrypted by Node-RED, never in the flow). */
export interface NodeWithCredentials<C> extends NodeRedNode {
  readonly credentials?: Partial<C>;
}

export type CredentialFields = Readonly<Record<string, { readonly type: 'text' | 'password' }>>;

export type NodeConstructor<N extends NodeRedNode> = (this: N, def: NodeDef) => void;

/** A request on Node-RED's HTTP node app (express 4). */
export interface HttpRequest extends IncomingMessage {
  readonly params?: Readonly<Record<string, string>>;
  /** Set by a body parser that ran before ours (settings.httpNodeMiddleware); we want the raw bytes. */
  readonly body?: unknown;
}

export type HttpHandler = (req: HttpRequest, res: ServerResponse, next: (err?: unknown) => void) => void;

export interface HttpRoute {
  readonly path: string;
  readonly methods: Readonly<Record<string, boolean>>;
}

export interface HttpLayer {
  readonly route?: HttpRoute;
  readonly handle?: unknown;
}

export interface HttpApp {
  post(path: string, ...handlers: HttpHandler[]): unknown;
  use?(handler: HttpHandler): unknown;
  /** The path the app is mounted at (express `app.path()`): settings.httpNodeRoot. */
  path?(): string;
  /** The app this one is mounted in (express sets it on mount); absent on the root app. */
  readonly parent?: HttpApp;
  readonly _router?: { stack: HttpLayer[] };
}

export interface NodeRedApi {
  readonly nodes: {
    createNode(node: NodeRedNode, def: NodeDef): void;
    registerType<N extends NodeRedNode>(
      type: string,
      constructor: NodeConstructor<N>,
      options?: { credentials?: CredentialFields },
    ): void;
    getNode(id: string): unknown;
  };
  /** The runtime settings (settings.js); user-defined keys are read through settings.ts. */
  readonly settings: { readonly userDir?: string; readonly [key: string]: unknown };
  readonly httpNode: HttpApp;
  /** i18n in the node set's namespace: `RED._('takt-sap.status.working')`. */
  _(key: string, substitutions?: Readonly<Record<string, string | number>>): string;
  readonly log: {
    info(message: unknown): void;
    warn(message: unknown): void;
    error(message: unknown): void;
    debug(message: unknown): void;
  };
}
