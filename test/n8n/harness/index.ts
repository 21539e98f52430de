import './env';

export { harnessUserFolder } from './env';
export { HarnessNodeTypes, RecordingNodeTypes, TAKT_PACKAGE, type AnyNodeType } from './node-types';
export { ManualTriggerStandIn, NoOpStandIn, StickyNoteStandIn, standInNodeTypes } from './stand-ins';
export { MapCredentialsHelper, type CredentialMap } from './credentials-helper';
export { chain, jsonItems, workflowNode, type WorkflowDefinition } from './workflow-definition';
export { runWorkflow, WorkflowRun, type RunWorkflowOptions } from './workflow-run';
export { runNode, type NodeRun, type RunNodeOptions } from './run-node';
export { pollTrigger, type PollOptions, type PollResult } from './poll';
export {
  callWebhook,
  type WebhookCallOptions,
  type WebhookCallResult,
  type WebhookRequest,
  type WebhookResponse,
} from './webhook';
export {
  loadPackageCredentials,
  loadPackageNodes,
  packageN8nSection,
  packageRoot,
  taktNodeTypes,
  type NodeBuild,
} from './load-package';
export {
  mesCredential,
  readSampleOrders,
  releaseAll,
  sapBasicCredential,
  sapTestConnector,
  signedJsonRequest,
  standardWebhookHeaders,
  startTestSimulator,
  StateFolder,
  type TestSimulator,
} from './fixtures';
