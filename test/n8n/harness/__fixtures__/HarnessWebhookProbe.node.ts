import { createHmac, timingSafeEqual } from 'node:crypto';

import {
  NodeConnectionTypes,
  type INodeType,
  type INodeTypeDescription,
  type IWebhookFunctions,
  type IWebhookResponseData,
} from 'n8n-workflow';

/**
 * A test-only webhook trigger: checks an HMAC-SHA256 of the raw body (header `x-signature`, key from the
 * `harnessProbeApi` credential) before reading the parsed body; answers 401 itself when it does not match.
 */
export class HarnessWebhookProbe implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Harness Webhook Probe',
    name: 'harnessWebhookProbe',
    group: ['trigger'],
    version: 1,
    description: 'Receives signed events',
    defaults: { name: 'Harness Webhook Probe' },
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: 'harnessProbeApi', required: true }],
    webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'events' }],
    properties: [],
  };

  async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    const { secret } = await this.getCredentials<{ secret: string }>('harnessProbeApi');
    const request = this.getRequestObject();
    const expected = createHmac('sha256', secret).update(request.rawBody).digest();
    const given = Buffer.from(String(this.getHeaderData()['x-signature'] ?? ''), 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      this.getResponseObject().status(401).send();
      return { noWebhookResponse: true };
    }
    const body = this.getBodyData();
    return { workflowData: [[{ json: { event: body } }]], webhookResponse: { received: true } };
  }
}
