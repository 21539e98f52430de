import { WebhookContext } from 'n8n-core';
import { resolveWebhookDescriptionField } from 'n8n-workflow';
import type {
  IDataObject,
  IHttpRequestMethods,
  INode,
  INodeExecutionData,
  INodeTypes,
  IWebhookData,
  IWebhookDescription,
  IWebhookResponseData,
  Workflow,
} from 'n8n-workflow';

import { createAdditionalData, createHooks } from './additional-data';
import type { CredentialMap, MapCredentialsHelper } from './credentials-helper';
import type { WorkflowDefinition } from './workflow-definition';
import { runWorkflow, startNodeOf, toCredentialsHelper, toWorkflow, type WorkflowRun } from './workflow-run';

export interface WebhookRequest {
  method?: IHttpRequestMethods;
  /** Header names are lower-cased as Node's HTTP server does. */
  headers?: Record<string, string>;
  /** The body as sent: a string or bytes are the raw body; an object is sent as JSON. */
  body?: string | Buffer | IDataObject;
  query?: Record<string, string>;
  params?: Record<string, string>;
}

/** What went back to the caller. */
export interface WebhookResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
  /** Whether the node wrote the response itself (res.status().send(), res.end(), …). */
  writtenByNode: boolean;
}

export interface WebhookCallOptions {
  nodeTypes: INodeTypes;
  workflow: WorkflowDefinition;
  credentials?: CredentialMap | MapCredentialsHelper;
  /** The webhook node's name (default: the workflow's trigger). */
  webhookNode?: string;
  request: WebhookRequest;
  /** Run the rest of the workflow on `workflowData` (default true), as n8n's webhook service does. */
  runDownstream?: boolean;
}

export interface WebhookCallResult {
  /** What `webhook()` returned. */
  result: IWebhookResponseData;
  response: WebhookResponse;
  run?: WorkflowRun;
  /**
   * The node's webhook description's `responseMode` for this node's parameters, read as n8n's webhook handler
   * reads it: `onReceived` (answered before the run) or `lastNode` (answered when the run ends).
   */
  responseMode: string;
}

/** The request n8n's webhook server hands a node: parsed body plus the raw bytes (`rawBody`) for signatures. */
function toRequest(request: WebhookRequest, path: string) {
  const headers = Object.fromEntries(
    Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const given = request.body;
  const isRaw = typeof given === 'string' || Buffer.isBuffer(given);
  const rawBody = given === undefined ? Buffer.alloc(0) : Buffer.from(isRaw ? given : JSON.stringify(given));
  if (!isRaw && given !== undefined) headers['content-type'] ??= 'application/json';
  const contentType = headers['content-type'] ?? '';
  let body: unknown = {};
  if (!isRaw) body = given ?? {};
  else if (contentType.includes('json') && rawBody.length > 0) body = JSON.parse(rawBody.toString('utf8')) as unknown;
  else if (contentType.includes('x-www-form-urlencoded'))
    body = Object.fromEntries(new URLSearchParams(rawBody.toString('utf8')));
  else if (contentType.startsWith('text/')) body = rawBody.toString('utf8');
  const query = request.query ?? {};
  const search = new URLSearchParams(query).toString();
  return {
    method: request.method ?? 'POST',
    url: `/webhook/${path}${search === '' ? '' : `?${search}`}`,
    path: `/webhook/${path}`,
    headers,
    body,
    rawBody,
    query,
    params: request.params ?? {},
    readRawBody: async () => undefined,
    header: (name: string) => headers[name.toLowerCase()],
    get: (name: string) => headers[name.toLowerCase()],
  };
}

/** An express-like response that records what the node writes. */
function recordingResponse() {
  const recorded: WebhookResponse = { statusCode: 200, headers: {}, body: undefined, writtenByNode: false };
  const response = {
    get statusCode() {
      return recorded.statusCode;
    },
    get headersSent() {
      return recorded.writtenByNode;
    },
    status(code: number) {
      recorded.statusCode = code;
      return response;
    },
    setHeader(name: string, value: string) {
      recorded.headers[name.toLowerCase()] = value;
      return response;
    },
    set(name: string, value: string) {
      return response.setHeader(name, value);
    },
    header(name: string, value: string) {
      return response.setHeader(name, value);
    },
    getHeader(name: string) {
      return recorded.headers[name.toLowerCase()];
    },
    writeHead(code: number, headers: Record<string, string> = {}) {
      recorded.statusCode = code;
      for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
      return response;
    },
    send(body?: unknown) {
      recorded.body = body;
      recorded.writtenByNode = true;
      return response;
    },
    json(body: unknown) {
      response.setHeader('content-type', 'application/json');
      return response.send(body);
    },
    end(body?: unknown) {
      return response.send(body);
    },
  };
  return { response, recorded };
}

/**
 * Calls a webhook node's `webhook()` as n8n's webhook server would. The engine (n8n-core) cannot: the HTTP layer
 * that receives the request and calls `webhook()` lives in n8n's server package, which the in-process harness does
 * not load. So the harness builds n8n-core's real WebhookContext over a request carrying the parsed body and the raw
 * bytes (`req.rawBody`, what a signature check reads) and a response that records what the node writes, then hands
 * `workflowData` to the engine, which passes a webhook node's data on. When the node does not answer itself, the
 * response follows the `responseMode` its webhook description gives for its parameters: `onReceived` answers before
 * the run with its `webhookResponse`, or n8n's default acknowledgement; `lastNode` answers when the run ended, as
 * n8n 2.41's webhook handler does (500 when it failed, else `responseCode` with `responseData` of the last node;
 * with `runDownstream: false` nothing is answered). A throw from `webhook()` reaches the caller.
 * The real HTTP path is covered by the real-host tests (npm run test:n8n).
 */
export async function callWebhook(options: WebhookCallOptions): Promise<WebhookCallResult> {
  const credentials = toCredentialsHelper(options.credentials);
  const workflow = toWorkflow(options.workflow, options.nodeTypes, credentials);
  const node = startNodeOf(workflow, options.webhookNode, 'webhook');
  const nodeType = options.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
  const description = nodeType.description.webhooks?.[0];
  if (nodeType.webhook === undefined || description === undefined) {
    throw new Error(`node "${node.name}" (${node.type}) has no webhook() or no webhooks in its description`);
  }
  const path = node.webhookId ?? node.name;
  const { response, recorded } = recordingResponse();
  const additionalData = createAdditionalData(
    credentials,
    createHooks('webhook', 'harness-webhook', options.workflow),
    {
      httpRequest: toRequest(options.request, path),
      httpResponse: response,
    },
  );
  const webhookData: IWebhookData = {
    httpMethod: options.request.method ?? 'POST',
    node: node.name,
    path,
    webhookDescription: description,
    workflowId: workflow.id,
    workflowExecuteAdditionalData: additionalData,
  };
  const responseMode = String(describedValue(workflow, node, description, 'responseMode', 'onReceived'));
  const responseCode = Number(describedValue(workflow, node, description, 'responseCode', 200));
  const responseData = String(describedValue(workflow, node, description, 'responseData', 'firstEntryJson'));
  const context = new WebhookContext(workflow, node, additionalData, 'webhook', webhookData, [], null);
  const result = await nodeType.webhook.call(context);
  const workflowData: INodeExecutionData[][] | undefined = result.workflowData;
  const answered = recorded.writtenByNode || result.noWebhookResponse === true;
  const afterRun = !answered && workflowData !== undefined && responseMode === 'lastNode';
  if (!answered && !afterRun) {
    recorded.statusCode = responseCode;
    recorded.body = result.webhookResponse ?? {
      message: workflowData === undefined ? 'Webhook call received' : 'Workflow was started',
    };
  }
  if (workflowData === undefined || options.runDownstream === false)
    return { result, response: recorded, responseMode };
  const run = await runWorkflow({
    nodeTypes: options.nodeTypes,
    workflow: options.workflow,
    credentials,
    startNode: node.name,
    inputs: workflowData,
    mode: 'webhook',
  });
  if (afterRun) Object.assign(recorded, { headers: {}, ...lastNodeResponse(run, responseCode, responseData) });
  return { result, response: recorded, run, responseMode };
}

/** A webhook description field for this node, as n8n's webhook handler evaluates it (natively, else as an expression). */
function describedValue(
  workflow: Workflow,
  node: INode,
  description: IWebhookDescription,
  field: 'responseMode' | 'responseCode' | 'responseData',
  fallback: string | number,
): unknown {
  const native = resolveWebhookDescriptionField(node, description, field);
  if (native.resolved) return native.value ?? fallback;
  const value = description[field];
  if (value === undefined) return fallback;
  if (typeof value !== 'string') return value;
  return workflow.expression.getSimpleParameterValue(node, value, 'webhook', {}, undefined, fallback) ?? fallback;
}

/**
 * n8n's answer in `lastNode` mode once the run ended: 500 `Error in workflow` when the run or its last node failed;
 * otherwise the response code with the last node's data as `responseData` asks (`firstEntryJson`, `allEntries`,
 * `noData`; a first entry that does not exist is a 500).
 */
function lastNodeResponse(
  run: WorkflowRun,
  responseCode: number,
  responseData: string,
): Pick<WebhookResponse, 'statusCode' | 'body'> {
  const { lastNodeExecuted, runData } = run.run.data.resultData;
  const tasks = lastNodeExecuted === undefined ? undefined : runData[lastNodeExecuted];
  const last = tasks?.[tasks.length - 1];
  if (run.error !== undefined || last?.error !== undefined) {
    return { statusCode: 500, body: { message: 'Error in workflow' } };
  }
  if (last === undefined) {
    return {
      statusCode: responseCode,
      body: { message: 'Workflow executed successfully but the last node did not return any data' },
    };
  }
  const items = last.data?.['main']?.[0] ?? [];
  if (responseData === 'noData') return { statusCode: responseCode, body: undefined };
  if (responseData === 'firstEntryJson') {
    const first = items[0];
    return first === undefined
      ? { statusCode: 500, body: { code: 500, message: 'No item to return was found' } }
      : { statusCode: responseCode, body: first.json };
  }
  if (responseData === 'firstEntryBinary') throw new Error('the harness does not answer with binary data');
  return { statusCode: responseCode, body: items.map((item) => item.json) };
}
