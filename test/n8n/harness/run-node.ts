import type { INode, INodeExecutionData, INodeParameters, INodeTypes, WorkflowExecuteMode } from 'n8n-workflow';

import type { CredentialMap, MapCredentialsHelper } from './credentials-helper';
import { workflowNode } from './workflow-definition';
import { runWorkflow, type WorkflowRun } from './workflow-run';

export interface RunNodeOptions {
  nodeTypes: INodeTypes;
  /** The workflow-JSON type, e.g. `n8n-nodes-takt.taktSyncStatus`. */
  type: string;
  parameters?: INodeParameters;
  typeVersion?: number;
  /** Credentials by type; those the node declares are attached to it (see runWorkflow). */
  credentials?: CredentialMap | MapCredentialsHelper;
  /** Explicit credential references instead of the automatic ones (e.g. `{}` for none at all). */
  nodeCredentials?: INode['credentials'];
  /** The items the node receives (default: one empty item). */
  input?: INodeExecutionData[];
  /** `continueRegularOutput` (Continue On Fail), `continueErrorOutput`, or `stopWorkflow` (n8n's default). */
  onError?: INode['onError'];
  /** The node's name in the workflow (default `Node`); `$node`-style expressions see it. */
  name?: string;
  /** The execution mode the node sees through `getMode()` (default `manual`, as when the editor runs it). */
  mode?: WorkflowExecuteMode;
}

/** A single node's run: its outputs, or what it threw. */
export interface NodeRun {
  run: WorkflowRun;
  nodeName: string;
  /** Every main output (empty when the node threw). */
  outputs: INodeExecutionData[][];
  /** The first main output's items. */
  items: INodeExecutionData[];
  /** What `execute()` threw (undefined when it returned). */
  thrown: unknown;
}

/** Runs one node through the engine on the given input items, as if a trigger had handed them on. */
export async function runNode(options: RunNodeOptions): Promise<NodeRun> {
  const nodeName = options.name ?? 'Node';
  const node = workflowNode({
    name: nodeName,
    type: options.type,
    typeVersion: options.typeVersion ?? 1,
    parameters: options.parameters ?? {},
    ...(options.nodeCredentials !== undefined && { credentials: options.nodeCredentials }),
    ...(options.onError !== undefined && { onError: options.onError }),
  });
  const run = await runWorkflow({
    nodeTypes: options.nodeTypes,
    workflow: { nodes: [node], connections: {} },
    ...(options.credentials !== undefined && { credentials: options.credentials }),
    startNode: nodeName,
    input: options.input ?? [{ json: {} }],
    ...(options.mode !== undefined && { mode: options.mode }),
  });
  const outputs = run.ran(nodeName) ? run.outputs(nodeName) : [];
  return { run, nodeName, outputs, items: outputs[0] ?? [], thrown: run.thrown(nodeName) };
}
