import { PollContext } from 'n8n-core';
import type { INodeExecutionData, INodeTypes, WorkflowActivateMode, WorkflowExecuteMode } from 'n8n-workflow';

import { createAdditionalData, createHooks } from './additional-data';
import type { CredentialMap, MapCredentialsHelper } from './credentials-helper';
import type { WorkflowDefinition } from './workflow-definition';
import { runWorkflow, startNodeOf, toCredentialsHelper, toWorkflow, type WorkflowRun } from './workflow-run';

export interface PollOptions {
  nodeTypes: INodeTypes;
  /** Pass the same definition again to poll again: its `staticData` (the node's cursor) is kept in it. */
  workflow: WorkflowDefinition;
  credentials?: CredentialMap | MapCredentialsHelper;
  /** The polling trigger's node name (default: the workflow's trigger). */
  triggerNode?: string;
  /** `trigger` (default) polls as an active workflow does; `manual` as the editor's "Fetch test event". */
  mode?: Extract<WorkflowExecuteMode, 'trigger' | 'manual'>;
  /** Run the rest of the workflow on what the poll returned (default true), as n8n does after a poll. */
  runDownstream?: boolean;
}

export interface PollResult {
  /** What `poll()` returned: items per output, or null when there was nothing new. */
  items: INodeExecutionData[][] | null;
  /** The workflow run started from the poll's items (absent when the poll returned null or runDownstream is off). */
  run?: WorkflowRun;
}

/**
 * Calls a polling trigger's `poll()` through n8n-core's own PollContext, the context n8n's poll scheduler gives it
 * (mode `trigger`, activation `activate`), then, if it returned items, runs the workflow from the trigger with them
 * as n8n does (the engine passes a trigger's data on in trigger mode). A throw from `poll()` reaches the caller.
 */
export async function pollTrigger(options: PollOptions): Promise<PollResult> {
  const mode = options.mode ?? 'trigger';
  const activation: WorkflowActivateMode = mode === 'manual' ? 'manual' : 'activate';
  const credentials = toCredentialsHelper(options.credentials);
  const workflow = toWorkflow(options.workflow, options.nodeTypes, credentials);
  const node = startNodeOf(workflow, options.triggerNode, 'poll');
  const nodeType = options.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
  if (nodeType.poll === undefined) throw new Error(`node "${node.name}" (${node.type}) has no poll()`);
  const additionalData = createAdditionalData(credentials, createHooks(mode, 'harness-poll', options.workflow));
  const context = new PollContext(workflow, node, additionalData, mode, activation);
  const items = await nodeType.poll.call(context);
  if (items === null || options.runDownstream === false) return { items };
  const run = await runWorkflow({
    nodeTypes: options.nodeTypes,
    workflow: options.workflow,
    credentials,
    startNode: node.name,
    inputs: items,
    mode: 'trigger',
  });
  return { items, run };
}
