import { createHmac } from 'node:crypto';

import { decodeAckToken } from '@takt/runtime';
import { NodeOperationError, type IDataObject, type INodeParameters } from 'n8n-workflow';

import {
  callWebhook,
  chain,
  HarnessNodeTypes,
  releaseAll,
  runNode,
  standardWebhookHeaders,
  standInNodeTypes,
  StateFolder,
  TAKT_PACKAGE,
  workflowNode,
  type CredentialMap,
  type WorkflowDefinition,
} from '../../../test/n8n/harness';
import { TaktAcknowledge } from '../../TaktAcknowledge/TaktAcknowledge.node';
import { TaktWebhookTrigger } from '../TaktWebhookTrigger.node';

const nodeTypes = new HarnessNodeTypes([new TaktWebhookTrigger(), new TaktAcknowledge()], standInNodeTypes());
const SECRET = `whsec_${Buffer.alloc(32, 5).toString('base64')}`;
const BODY = JSON.stringify({ type: 'confirmation.created', order: '1000042', yield: 40 });

let folder: StateFolder;

beforeAll(() => {
  folder = StateFolder.create('webhook-node');
});

afterAll(() => releaseAll(folder));

function credentials(): CredentialMap {
  return { taktStateStore: folder.storeCredential() };
}

/** Takt Webhook Trigger → Takt Acknowledge (ACK unless `ackParameters` say otherwise), or the trigger alone. */
function workflow(
  parameters: INodeParameters,
  acknowledge = true,
  ackParameters: INodeParameters = {},
): WorkflowDefinition {
  const trigger = workflowNode({
    name: 'Events',
    type: `${TAKT_PACKAGE}.taktWebhookTrigger`,
    webhookId: 'mes-events',
    parameters: { path: 'mes-events', scope: 'mes-events', ...parameters },
  });
  const ack = workflowNode({ name: 'Acknowledge', type: `${TAKT_PACKAGE}.taktAcknowledge`, parameters: ackParameters });
  return {
    id: 'wf-webhook',
    nodes: acknowledge ? [trigger, ack] : [trigger],
    connections: acknowledge ? chain('Events', 'Acknowledge') : {},
  };
}

function signed(id: string, body = BODY, secret = SECRET): Record<string, string> {
  return standardWebhookHeaders(secret, id, body);
}

/** Calls the workflow's webhook with BODY, signed as Standard Webhooks message `id`. */
function sendSigned(workflow: WorkflowDefinition, creds: CredentialMap, id: string) {
  return callWebhook({ nodeTypes, workflow, credentials: creds, request: { headers: signed(id), body: BODY } });
}

const RETRY_NACK = { operation: 'nack', retryable: true, message: 'SAP is down' };

describe('Takt Webhook Trigger through the n8n engine', () => {
  it('declares n8n\'s response mode from its Respond parameter, "When Acknowledged" by default', () => {
    const { description } = new TaktWebhookTrigger();
    expect(description.webhooks?.[0]).toMatchObject({
      responseMode: '={{$parameter["responseMode"]}}',
      responseData: 'noData',
    });
    expect(description.properties.find((property) => property.name === 'responseMode')).toMatchObject({
      default: 'lastNode',
      options: [
        { name: 'When Acknowledged', value: 'lastNode' },
        { name: 'Immediately', value: 'onReceived' },
      ],
    });
  });

  it('When Acknowledged: a new event is answered by n8n after the run (200, no body); its copy is a duplicate at once', async () => {
    const creds = credentials();
    const definition = workflow({ verification: 'standard', secret: SECRET });
    const call = await sendSigned(definition, creds, 'msg_100');
    expect(call.responseMode).toBe('lastNode');
    // The node leaves the answer to n8n: it neither writes it nor says it did.
    expect(call.result.noWebhookResponse).toBeUndefined();
    expect(call.response).toEqual({ statusCode: 200, headers: {}, body: undefined, writtenByNode: false });
    const started = call.result.workflowData?.[0] ?? [];
    expect(started.map((item) => item.json)).toEqual([
      {
        type: 'confirmation.created',
        order: '1000042',
        yield: 40,
        _takt: { token: expect.stringMatching(/^evt1\./) as unknown, deliveryKind: 'event', eventId: 'msg_100' },
      },
    ]);
    expect(decodeAckToken((started[0]?.json['_takt'] as IDataObject | undefined)?.['token'])).toMatchObject({
      attempt: 1,
      maxAttempts: 5,
    });
    expect(
      call.run?.output('Acknowledge').map((item) => [item.pairedItem, item.json['status'], item.json['eventId']]),
    ).toEqual([[{ item: 0 }, 'acked', 'msg_100']]);

    // The sender's retry of the same event: a duplicate, answered by the node itself, and no second run.
    const retry = await sendSigned(definition, creds, 'msg_100');
    expect(retry.result).toEqual({ noWebhookResponse: true });
    expect(retry.response).toMatchObject({
      statusCode: 200,
      body: { status: 'duplicate', id: 'msg_100' },
      writtenByNode: true,
    });
    expect(retry.run).toBeUndefined();
  });

  it('When Acknowledged: a run that fails is answered 500; its copy is answered 409 while the claim lasts', async () => {
    const creds = credentials();
    // Acknowledge is handed a token the store never issued: the node throws and the execution fails.
    const definition = workflow({ verification: 'standard', secret: SECRET, options: { claimMinutes: 2 } }, true, {
      token: 'not-a-token',
    });
    const call = await sendSigned(definition, creds, 'msg_150');
    expect(call.run?.error?.message).toBeDefined();
    expect(call.response).toEqual({
      statusCode: 500,
      headers: {},
      body: { message: 'Error in workflow' },
      writtenByNode: false,
    });
    const copy = await sendSigned(definition, creds, 'msg_150');
    expect(copy.response).toMatchObject({ statusCode: 409, body: { status: 'in_progress', id: 'msg_150' } });
    expect(Number(copy.response.headers['retry-after'])).toBeGreaterThan(100);
    expect(copy.run).toBeUndefined();
  });

  it("When Acknowledged: a retryable NACK fails the run (500), and the sender's next copy is processed again", async () => {
    const creds = credentials();
    const nacking = workflow({ verification: 'standard', secret: SECRET }, true, RETRY_NACK);
    const call = await sendSigned(nacking, creds, 'msg_170');
    expect(call.response).toMatchObject({ statusCode: 500, body: { message: 'Error in workflow' } });
    const thrown = call.run?.thrown('Acknowledge');
    expect(thrown).toBeInstanceOf(NodeOperationError);
    expect((thrown as NodeOperationError).message).toBe(
      'Event "msg_170" failed (attempt 1 of 5); the sender\'s next copy is processed again. This execution fails so ' +
        'that the webhook answers the sender with an error and it sends the event again.',
    );
    expect((thrown as NodeOperationError).context['itemIndex']).toBe(0);

    // SAP is back: the sender's retry is delivered as attempt 2 and acknowledged.
    const retry = await sendSigned(workflow({ verification: 'standard', secret: SECRET }), creds, 'msg_170');
    expect(retry.response).toEqual({ statusCode: 200, headers: {}, body: undefined, writtenByNode: false });
    expect(retry.run?.json('Acknowledge').map((json) => [json['status'], json['eventId'], json['attempt']])).toEqual([
      ['acked', 'msg_170', 2],
    ]);
  });

  it('Immediately: 200 accepted before the run; a retryable NACK then dead-letters the event, as no copy will come', async () => {
    const creds = credentials();
    const definition = workflow(
      { verification: 'standard', secret: SECRET, responseMode: 'onReceived' },
      true,
      RETRY_NACK,
    );
    const call = await sendSigned(definition, creds, 'msg_180');
    expect(call.responseMode).toBe('onReceived');
    expect(call.result.noWebhookResponse).toBe(true);
    expect(call.response).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: { status: 'accepted', id: 'msg_180' },
      writtenByNode: true,
    });
    const token = (call.result.workflowData?.[0]?.[0]?.json['_takt'] as IDataObject)['token'];
    expect(decodeAckToken(token)).toMatchObject({ attempt: 1, maxAttempts: 1 });
    expect(call.run?.status).toBe('success');
    expect(call.run?.json('Acknowledge').map((json) => [json['status'], json['eventId']])).toEqual([
      ['dead_lettered', 'msg_180'],
    ]);
    const listed = await runNode({
      nodeTypes,
      type: `${TAKT_PACKAGE}.taktAcknowledge`,
      parameters: { operation: 'listDeadLetters', scope: 'mes-events' },
      credentials: creds,
    });
    expect(listed.items.map((item) => [item.json['key'], (item.json['error'] as IDataObject)['message']])).toEqual([
      ['msg_180', 'SAP is down'],
    ]);
  });

  it('a forged signature is answered 401 with an empty body and starts nothing', async () => {
    const forger = `whsec_${Buffer.alloc(32, 6).toString('base64')}`;
    const call = await callWebhook({
      nodeTypes,
      workflow: workflow({ verification: 'standard', secret: SECRET }),
      credentials: credentials(),
      request: { headers: signed('msg_200', BODY, forger), body: BODY },
    });
    expect(call.response).toMatchObject({ statusCode: 401, body: undefined, writtenByNode: true });
    expect(call.result.workflowData).toBeUndefined();
  });

  it('a copy arriving while the first is still unacknowledged is answered 409 with Retry-After', async () => {
    const creds = credentials();
    const definition = workflow({ verification: 'standard', secret: SECRET, options: { claimMinutes: 2 } }, false);
    const first = await sendSigned(definition, creds, 'msg_300');
    expect(first.response.statusCode).toBe(200);
    const copy = await sendSigned(definition, creds, 'msg_300');
    expect(copy.response).toMatchObject({ statusCode: 409, body: { status: 'in_progress', id: 'msg_300' } });
    expect(Number(copy.response.headers['retry-after'])).toBeGreaterThan(100);
    expect(Number(copy.response.headers['retry-after'])).toBeLessThanOrEqual(120);
  });

  it('HMAC shared secret: verifies the raw body and takes the event id from a body field', async () => {
    const creds = credentials();
    const definition = workflow({
      verification: 'sharedHmac',
      sharedSecret: 'mes-hook-key',
      header: 'X-Signature',
      prefix: 'sha256=',
      eventIdFrom: 'body',
      eventIdPath: 'order',
    });
    const signature = `sha256=${createHmac('sha256', 'mes-hook-key').update(BODY).digest('hex')}`;
    const call = await callWebhook({
      nodeTypes,
      workflow: definition,
      credentials: creds,
      request: { headers: { 'content-type': 'application/json', 'x-signature': signature }, body: BODY },
    });
    expect(call.response).toMatchObject({ statusCode: 200, body: undefined });
    expect(call.run?.json('Acknowledge').map((json) => [json['status'], json['eventId']])).toEqual([
      ['acked', '1000042'],
    ]);
    const tampered = await callWebhook({
      nodeTypes,
      workflow: definition,
      credentials: creds,
      request: { headers: { 'content-type': 'application/json', 'x-signature': signature }, body: `${BODY} ` },
    });
    expect(tampered.response).toMatchObject({ statusCode: 401, body: undefined });
  });

  it('a secret that is not a whsec_ key answers 500 without detail; the sender learns nothing', async () => {
    const call = await sendSigned(
      workflow({ verification: 'standard', secret: 'not-a-key' }),
      credentials(),
      'msg_400',
    );
    expect(call.response).toMatchObject({ statusCode: 500, body: { status: 'error' } });
    expect(JSON.stringify(call.response.body as IDataObject)).not.toContain('not-a-key');
  });
});
