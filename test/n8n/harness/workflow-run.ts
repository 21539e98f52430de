import './env';

import { WorkflowExecute } from 'n8n-core';
import {
  createRunExecutionData,
  Workflow,
  type ExecutionError,
  type IDataObject,
  type INode,
  type INodeExecutionData,
  type INodeTypes,
  type IRun,
  type ITaskData,
  type IWorkflowExecuteAdditionalData,
  type WorkflowExecuteMode,
} from 'n8n-workflow';

import { createAdditionalData, createHooks } from './additional-data';
import { MapCredentialsHelper, type CredentialMap } from './credentials-helper';
import { RecordingNodeTypes } from './node-types';
import type { WorkflowDefinition } from './workflow-definition';

export interface RunWorkflowOptions {
  nodeTypes: INodeTypes;
  workflow: WorkflowDefinition;
  /** Decrypted credentials by credential type, or a helper the test keeps to read `updates` afterwards. */
  credentials?: CredentialMap | MapCredentialsHelper;
  /** The node the run starts at (default: the workflow's trigger, as n8n picks it). */
  startNode?: string;
  /** The items the start node receives as its input (default: one empty item, what a trigger hands on). */
  input?: INodeExecutionData[];
  /** The start node's data on every main connection instead of `input` (a poll or webhook result per output). */
  inputs?: INodeExecutionData[][];
  /** Default `manual`; `trigger` / `webhook` make a trigger node pass its input on instead of polling. */
  mode?: WorkflowExecuteMode;
  /** Replaces fields of the engine's additional data (e.g. httpRequest for a webhook run). */
  additionalData?: Partial<IWorkflowExecuteAdditionalData>;
}

let executionCounter = 0;

export function toCredentialsHelper(credentials: CredentialMap | MapCredentialsHelper | undefined) {
  return credentials instanceof MapCredentialsHelper ? credentials : new MapCredentialsHelper(credentials);
}

/**
 * Nodes exported without a `credentials` field get, for each credential type their description declares and the
 * test supplied, a reference `{ id: <type>, name: <type> }`: what selecting a credential in the editor records. A
 * node that lists its credentials keeps exactly those (leave one out to test the node without it). The definition
 * itself is left as it was.
 */
function withCredentials(node: INode, nodeTypes: INodeTypes, helper: MapCredentialsHelper): INode {
  if (node.credentials !== undefined) return node;
  const declared = nodeTypes.getByNameAndVersion(node.type, node.typeVersion).description.credentials ?? [];
  const supplied = declared.filter((credential) => helper.has(credential.name));
  if (supplied.length === 0) return node;
  const credentials = Object.fromEntries(
    supplied.map((credential) => [credential.name, { id: credential.name, name: credential.name }]),
  );
  return { ...node, credentials };
}

/**
 * Builds the n8n `Workflow` of a definition over the given node types, with the test's credentials attached. It
 * shares the definition's static data object, so state a trigger keeps there survives into the next run.
 */
export function toWorkflow(
  definition: WorkflowDefinition,
  nodeTypes: INodeTypes,
  credentials: MapCredentialsHelper,
): Workflow {
  definition.staticData ??= {};
  return new Workflow({
    id: definition.id ?? 'harness-workflow',
    name: definition.name ?? 'Harness workflow',
    nodes: definition.nodes.map((node) => withCredentials(node, nodeTypes, credentials)),
    connections: definition.connections,
    settings: definition.settings ?? {},
    staticData: definition.staticData,
    active: false,
    nodeTypes,
  });
}

/**
 * The named node, or the node that starts the workflow: what n8n picks (its Manual Trigger and friends), else the
 * first node with the given hook (`poll`, `webhook`) or, without one, the first trigger of any kind.
 */
export function startNodeOf(workflow: Workflow, name?: string, hook?: 'poll' | 'webhook'): INode {
  if (name !== undefined) {
    const node = workflow.getNode(name);
    if (node === null) throw new Error(`node "${name}" is not in the workflow`);
    return node;
  }
  const isStart = (node: INode): boolean => {
    const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
    if (hook !== undefined) return nodeType[hook] !== undefined;
    return nodeType.poll !== undefined || nodeType.webhook !== undefined || nodeType.trigger !== undefined;
  };
  const node =
    (hook === undefined ? workflow.getStartNode() : undefined) ?? Object.values(workflow.nodes).find(isStart);
  if (node === undefined) {
    throw new Error(`the workflow has no ${hook === undefined ? 'trigger' : `node with ${hook}()`} to start from`);
  }
  return node;
}

/**
 * Runs a workflow in-process through n8n-core's `WorkflowExecute`, the engine n8n itself runs, starting at one node
 * with the given input items. Node parameters (including `={{ }}` expressions), `onError`, pairedItem lineage and
 * `continueOnFail()` behave as in n8n, because n8n's own code does them.
 */
export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRun> {
  const mode = options.mode ?? 'manual';
  const nodeTypes = new RecordingNodeTypes(options.nodeTypes);
  const credentialsHelper = toCredentialsHelper(options.credentials);
  const workflow = toWorkflow(options.workflow, nodeTypes, credentialsHelper);
  const start = startNodeOf(workflow, options.startNode);
  const hooks = createHooks(mode, `harness-${++executionCounter}`, options.workflow);
  const executionOrder: string[] = [];
  hooks.addHandler('nodeExecuteAfter', (nodeName) => {
    executionOrder.push(nodeName);
  });
  const additionalData = createAdditionalData(credentialsHelper, hooks, options.additionalData);
  const runExecutionData = createRunExecutionData({
    executionData: {
      nodeExecutionStack: [
        { node: start, data: { main: options.inputs ?? [options.input ?? [{ json: {} }]] }, source: null },
      ],
    },
  });
  const run = await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
  return new WorkflowRun(run, executionOrder, nodeTypes.thrown, options.workflow.staticData ?? {});
}

/** The outcome of one harness run, read per node. */
export class WorkflowRun {
  constructor(
    readonly run: IRun,
    /** Node names in the order they finished. */
    readonly executionOrder: readonly string[],
    private readonly thrownByNode: ReadonlyMap<string, unknown>,
    /** The workflow's static data after the run (n8n saves it for active workflows). */
    readonly staticData: IDataObject,
  ) {}

  get status(): IRun['status'] {
    return this.run.status;
  }

  /** The run's error (set when a node failed and did not continue), as the engine records it. */
  get error(): IRun['data']['resultData']['error'] {
    return this.run.data.resultData.error;
  }

  /** Whether the node ran at all (a node whose input was empty does not). */
  ran(nodeName: string): boolean {
    return this.run.data.resultData.runData[nodeName] !== undefined;
  }

  /** The task record of one run of a node: timings, source, output data, error. */
  task(nodeName: string, runIndex = 0): ITaskData {
    const task = this.run.data.resultData.runData[nodeName]?.[runIndex];
    if (task === undefined) {
      const ran = Object.keys(this.run.data.resultData.runData).join(', ') || 'none';
      const error = this.error === undefined ? '' : `; the run failed: ${this.error.message}`;
      throw new Error(`node "${nodeName}" has no run ${runIndex} (nodes that ran: ${ran})${error}`);
    }
    return task;
  }

  /** Every main output of a node's run: `outputs(name)[1]` is its second output. */
  outputs(nodeName: string, runIndex = 0): INodeExecutionData[][] {
    return (this.task(nodeName, runIndex).data?.['main'] ?? []).map((items) => items ?? []);
  }

  /** The items of one main output (default the first) of a node's run: json, pairedItem and error each. */
  output(nodeName: string, outputIndex = 0, runIndex = 0): INodeExecutionData[] {
    return this.outputs(nodeName, runIndex)[outputIndex] ?? [];
  }

  /** The `json` of each item of an output, for compact assertions. */
  json(nodeName: string, outputIndex = 0, runIndex = 0): IDataObject[] {
    return this.output(nodeName, outputIndex, runIndex).map((item) => item.json);
  }

  /** The error the engine recorded for a node's run (a plain copy; see `thrown` for the instance). */
  nodeError(nodeName: string, runIndex = 0): ExecutionError | undefined {
    return this.task(nodeName, runIndex).error;
  }

  /** What the node's `execute()` threw, as thrown: check its class, `context.itemIndex`, `httpCode`. */
  thrown(nodeName: string): unknown {
    return this.thrownByNode.get(nodeName);
  }
}
