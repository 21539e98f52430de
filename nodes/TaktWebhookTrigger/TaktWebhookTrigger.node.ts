import { receiveWebhook, TaktError, type EventIdSource, type WebhookVerification } from '@takt/runtime';
import { NodeConnectionTypes } from 'n8n-workflow';
import type {
  IDataObject,
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
 * claims the event id in Takt's store, answers the sender itself (200 accepted / duplicate, 401 without a body,
 * 409 + Retry-After while another run holds the event, 413, 503 when the store is down) and starts the workflow
 * with one item per new event, carrying `_takt.token` for Takt Acknowledge. The receiving is the runtime's
 * (node-ops/webhook-receive.ts).
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
        responseMode: 'onReceived',
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
    response.status(reply.status);
    for (const [name, value] of Object.entries(reply.headers)) response.setHeader(name, value);
    if (reply.body === undefined) response.end();
    else response.json(reply.body);
    if (event === undefined) return { noWebhookResponse: true };
    const payload =
      typeof event.payload === 'object' && event.payload !== null && !Array.isArray(event.payload)
        ? (event.payload as IDataObject)
        : { payload: event.payload as IDataObject };
    return {
      noWebhookResponse: true,
      workflowData: [[{ json: { ...payload, _takt: { ...event.meta } as IDataObject } }]],
    };
  }
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
