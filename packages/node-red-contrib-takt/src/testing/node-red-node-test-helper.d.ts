/** The part of node-red-node-test-helper (which ships no types) that Takt's node tests use. */
declare module 'node-red-node-test-helper' {
  interface TestFlowNode {
    readonly id: string;
    readonly type: string;
    readonly [property: string]: unknown;
  }

  type NodeModule = (RED: never) => void;

  interface NodeTestHelper {
    init(nodeRedRuntimePath: string, userSettings?: Record<string, unknown>): void;
    settings(userSettings: Record<string, unknown>): Record<string, unknown>;
    load(
      nodes: NodeModule | readonly NodeModule[],
      flow: readonly TestFlowNode[],
      credentials?: Readonly<Record<string, Readonly<Record<string, string>>>>,
    ): Promise<void>;
    unload(): Promise<void>;
    getNode(id: string): unknown;
    startServer(): Promise<void>;
    stopServer(): Promise<void>;
  }

  const helper: NodeTestHelper;
  export = helper;
}
