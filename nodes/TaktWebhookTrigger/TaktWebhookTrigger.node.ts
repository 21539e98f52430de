import {
  receiveWebhook,
  TaktError,
  type EventIdSource,
  type ReceivedEvent,
  type WebhookVerification,
} from '@takt/runtime';
import { NodeConnectionTypes } from 'n8n-workflow';
import type {
  IDataObject,
  INodeExecutionData,
  INodeType,
  INodeTypeDescription,
  IWebhookFunctions,
  IWebhookResponseData,
} from 'n8n-workflow';

import { credentialTests } from '../shared/credential-tests';
import { stateStoreCredential } from '../shared/descriptions';
import { withStore } from '../shared/resources';
import { webhookTriggerProperties } from './description';

/**
 * Takt Webhook Trigger: verifies a request's signature on its raw bytes before anything is parsed or stored,
 * claims the event id in Takt's store and starts the workflow with one item per new event, carrying `_takt.token`
 * for Takt Acknowledge. The receiving is the runtime's (node-ops/webhook-receive.ts).
 *
 * What is not a new event the node answers itself, at once (200 duplicate, 401 without a body, 409 + Retry-After
 * while another run holds the event, 400, 413, 503 when the store is down). A new event is answered by n8n, as the
 * Respond parameter (`responseMode`, n8n's webhook convention) says: `lastNode` (default) when the execution ends,
 * 200 with no body, or 500 when it failed, so that the sender sends the event again; `onReceived` at once with
 * 200 accepted, written by the node before the workflow runs.
 */
export class TaktWebhookTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Takt Webhook Trigger',
    name: 'taktWebhookTrigger',
    icon: { light: 'file:../icons/takt.svg', dark: 'file:../icons/takt.dark.svg' },
    group: ['trigger'],
    version: 1,
    subtitle: '={{ $parameter["path"] }}',
    description: 'Starts the workflow with verified, deduplicated events, acknowledged by Takt Acknowledge',
    defaults: { name: 'Takt Webhook Trigger' },
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    credentials: [stateStoreCredential],
    webhooks: [
      {
        name: 'default',
        httpMethod: 'POST',
        // Read by n8n's webhook handler for every request; the node answers anything but a new event itself.
        responseMode: '={{$parameter["responseMode"]}}',
        // lastNode: the sender learns success or failure, not what the workflow's last node produced.
        responseData: 'noData',
        path: '={{ $parameter["path"] }}',
      },
    ],
    properties: webhookTriggerProperties,
  };

  methods = { credentialTest: credentialTests };

  async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    const request = this.getRequestObject();
    const response = this.getResponseObject();
    const options = this.getNodeParameter('options', {}) as IDataObject;
    const answerAfterRun = this.getNodeParameter('responseMode', 'lastNode') !== 'onReceived';
    let receipt;
    try {
      const rawBody = await rawBodyOf(request);
      receipt = await withStore(this, (store) =>
        receiveWebhook({
          store,
          scope: String(this.getNodeParameter('scope', '')).trim(),
          verification: verificationOf(this),
          headers: request.headers,
          rawBody,
          ...(eventIdOf(this) ? { eventId: eventIdOf(this) } : {}),
          ...(typeof options.maxKib === 'number' ? { maxBytes: options.maxKib * 1024 } : {}),
          ...(typeof options.claimMinutes === 'number' ? { claimTtlMs: options.claimMinutes * 60_000 } : {}),
          ...(typeof options.retentionHours === 'number' ? { retentionMs: options.retentionHours * 3_600_000 } : {}),
          ...(typeof options.maxAttempts === 'number' ? { maxAttempts: options.maxAttempts } : {}),
          senderRetries: answerAfterRun,
        }),
      );
    } catch (error) {
      // The node's own configuration (a secret that is not a whsec_ key, no header name): the sender cannot fix
      // it, so it gets a 500 without detail, and the message goes to n8n's log for whoever can.
      const message = TaktError.is(error) ? error.message : 'The webhook could not be processed.';
      this.logger.error(`Takt Webhook Trigger: ${message}`);
      response.status(500).json({ status: 'error' });
      return { noWebhookResponse: true };
    }
    const { reply, event } = receipt;
    const workflowData = event === undefined ? undefined : [[itemOf(event)]];
    // A new event with Respond "When Acknowledged": n8n answers when the execution ends (200, or 500 if it failed).
    if (workflowData !== undefined && answerAfterRun) return { workflowData };
    response.status(reply.status);
    for (const [name, value] of Object.entries(reply.headers)) response.setHeader(name, value);
    if (reply.body === undefined) response.end();
    else response.json(reply.body);
    return workflowData === undefined ? { noWebhookResponse: true } : { noWebhookResponse: true, workflowData };
  }
}

/** The event's JSON object (anything else under `payload`) with its `_takt` metadata. */
function itemOf(event: ReceivedEvent): INodeExecutionData {
  const payload =
    typeof event.payload === 'object' && event.payload !== null && !Array.isArray(event.payload)
      ? (event.payload as IDataObject)
      : { payload: event.payload as IDataObject };
  return { json: { ...payload, _takt: { ...event.meta } as IDataObject } };
}

/** The bytes as sent: n8n keeps them as `rawBody` (read on demand in recent versions) for signature checks. */
async function rawBodyOf(request: ReturnType<IWebhookFunctions['getRequestObject']>): Promise<Buffer> {
  const withRaw = request as unknown as { rawBody?: Buffer; readRawBody?: () => Promise<void> };
  if (withRaw.rawBody === undefined && typeof withRaw.readRawBody === 'function') await withRaw.readRawBody();
  return withRaw.rawBody ?? Buffer.alloc(0);
}

function verificationOf(ctx: IWebhookFunctions): WebhookVerification {
  const kind = String(ctx.getNodeParameter('verification', 'standard'));
  if (kind === 'standard') return { kind: 'standard', secret: String(ctx.getNodeParameter('secret', '')) };
  const secret = String(ctx.getNodeParameter('sharedSecret', ''));
  if (secret === '') throw new TaktError('CONFIG_INVALID', 'Enter the Secret the sender shares with this webhook.');
  const header = String(ctx.getNodeParameter('header', ''));
  if (kind === 'sharedToken') return { kind: 'shared-secret', mode: 'token', header, secret };
  return {
    kind: 'shared-secret',
    mode: 'hmac-sha256',
    header,
    secret,
    prefix: String(ctx.getNodeParameter('prefix', '')),
    encoding: ctx.getNodeParameter('encoding', 'hex') === 'base64' ? 'base64' : 'hex',
  };
}

function eventIdOf(ctx: IWebhookFunctions): EventIdSource | undefined {
  if (ctx.getNodeParameter('verification', 'standard') === 'standard') return undefined;
  const from = String(ctx.getNodeParameter('eventIdFrom', 'header'));
  if (from === 'header') return { from: 'header', name: String(ctx.getNodeParameter('eventIdHeader', 'X-Event-Id')) };
  if (from === 'body') return { from: 'body', path: String(ctx.getNodeParameter('eventIdPath', 'id')) };
  return { from: 'body-hash' };
}
