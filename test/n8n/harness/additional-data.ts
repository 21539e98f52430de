import { ExecutionLifecycleHooks, ExternalSecretsProxy } from 'n8n-core';
import type {
  ICredentialsHelper,
  IWorkflowBase,
  IWorkflowExecuteAdditionalData,
  WorkflowExecuteMode,
} from 'n8n-workflow';

import type { WorkflowDefinition } from './workflow-definition';

const BASE_URL = 'http://127.0.0.1:5678';

function unsupported(what: string): () => Promise<never> {
  return async () => {
    throw new Error(`${what} is not available in the in-process harness; test it in the real n8n (npm run test:n8n)`);
  };
}

/** The execution hooks of one run, over the workflow record n8n would have loaded from its database. */
export function createHooks(mode: WorkflowExecuteMode, executionId: string, workflow: WorkflowDefinition) {
  const now = new Date();
  const record: IWorkflowBase = {
    id: workflow.id ?? 'harness-workflow',
    name: workflow.name ?? 'Harness workflow',
    active: false,
    isArchived: false,
    createdAt: now,
    updatedAt: now,
    nodes: workflow.nodes,
    connections: workflow.connections,
    settings: workflow.settings ?? {},
    activeVersionId: null,
  };
  return new ExecutionLifecycleHooks(mode, executionId, record);
}

/**
 * What n8n's server hands the engine for one execution, reduced to what a single-workflow test needs: the
 * credentials service, the hooks, the URLs nodes may read. Sub-workflows, AI agents and the task runner are not
 * part of Takt's nodes and fail loudly if reached.
 */
export function createAdditionalData(
  credentialsHelper: ICredentialsHelper,
  hooks: ExecutionLifecycleHooks,
  overrides: Partial<IWorkflowExecuteAdditionalData> = {},
): IWorkflowExecuteAdditionalData {
  return {
    credentialsHelper,
    hooks,
    executionId: hooks.executionId,
    currentNodeExecutionIndex: 0,
    restApiUrl: `${BASE_URL}/rest`,
    instanceBaseUrl: BASE_URL,
    formBaseUrl: `${BASE_URL}/form`,
    formWaitingBaseUrl: `${BASE_URL}/form-waiting`,
    formTestBaseUrl: `${BASE_URL}/form-test`,
    webhookBaseUrl: `${BASE_URL}/webhook`,
    webhookWaitingBaseUrl: `${BASE_URL}/webhook-waiting`,
    webhookTestBaseUrl: `${BASE_URL}/webhook-test`,
    mcpBaseUrl: `${BASE_URL}/mcp`,
    mcpTestBaseUrl: `${BASE_URL}/mcp-test`,
    variables: {},
    externalSecretsProxy: new ExternalSecretsProxy(),
    logAiEvent: () => undefined,
    executeWorkflow: unsupported('executing a sub-workflow'),
    getRunExecutionData: async () => undefined,
    getRuntimeCredential: async () => undefined,
    startRunnerTask: unsupported('the Code node task runner'),
    ...overrides,
  };
}
