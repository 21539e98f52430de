import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { resourcePool, signStandardWebhook } from '@takt/runtime';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import {
  callWebhook,
  chain,
  HarnessNodeTypes,
  standInNodeTypes,
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

let folder: string;
let stores = 0;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'takt-webhook-node-'));
});

afterAll(async () => {
  await resourcePool().closeAll();
  rmSync(folder, { recursive: true, force: true });
});

function credentials(): CredentialMap {
  return { taktStateStore: { storeType: 'sqlite', sqliteFile: join(folder, `state-${(stores += 1)}.sqlite`) } };
}

/** Takt Webhook Trigger → Takt Acknowledge (ACK), or the trigger alone. */
function workflow(parameters: INodeParameters, acknowledge = true): WorkflowDefinition {
  const trigger = workflowNode({
    name: 'Events',
    type: `${TAKT_PACKAGE}.taktWebhookTrigger`,
    webhookId: 'mes-events',
    parameters: { path: 'mes-events', scope: 'mes-events', ...parameters },
  });
  const ack = workflowNode({ name: 'Acknowledge', type: `${TAKT_PACKAGE}.taktAcknowledge`, parameters: {} });
  return {
    id: 'wf-webhook',
    nodes: acknowledge ? [trigger, ack] : [trigger],
    connections: acknowledge ? chain('Events', 'Acknowledge') : {},
  };
}

function signed(id: string, body = BODY, secret = SECRET): Record<string, string> {
  const ts = Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(ts),
    'webhook-signature': signStandardWebhook(secret, id, ts, body),
  };
}

describe('Takt Webhook Trigger through the n8n engine', () => {
  it('a signed event is answered 200 accepted, starts the workflow with its token, and Acknowledge settles it', async () => {
    const creds = credentials();
    const definition = workflow({ verification: 'standard', secret: SECRET });
    const call = await callWebhook({
      nodeTypes,
      workflow: definition,
      credentials: creds,
      request: { headers: signed('msg_100'), body: BODY },
    });
    expect(call.response).toMatchObject({ statusCode: 200, body: { status: 'accepted', id: 'msg_100' } });
    const started = call.result.workflowData?.[0] ?? [];
    expect(started.map((item) => item.json)).toEqual([
      {
        type: 'confirmation.created',
        order: '1000042',
        yield: 40,
        _takt: { token: expect.stringMatching(/^evt1\./) as unknown, deliveryKind: 'event', eventId: 'msg_100' },
      },
    ]);
    expect(
      call.run?.output('Acknowledge').map((item) => [item.pairedItem, item.json['status'], item.json['eventId']]),
    ).toEqual([[{ item: 0 }, 'acked', 'msg_100']]);

    // The sender's retry of the same event: a duplicate, and no second run.
    const retry = await callWebhook({
      nodeTypes,
      workflow: definition,
      credentials: creds,
      request: { headers: signed('msg_100'), body: BODY },
    });
    expect(retry.response).toMatchObject({ statusCode: 200, body: { status: 'duplicate', id: 'msg_100' } });
    expect(retry.result.workflowData).toBeUndefined();
    expect(retry.run).toBeUndefined();
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
    const first = await callWebhook({
      nodeTypes,
      workflow: definition,
      credentials: creds,
      request: { headers: signed('msg_300'), body: BODY },
    });
    expect(first.response.statusCode).toBe(200);
    const copy = await callWebhook({
      nodeTypes,
      workflow: definition,
      credentials: creds,
      request: { headers: signed('msg_300'), body: BODY },
    });
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
    expect(call.response).toMatchObject({ statusCode: 200, body: { status: 'accepted', id: '1000042' } });
    const tampered = await callWebhook({
      nodeTypes,
      workflow: definition,
      credentials: creds,
      request: { headers: { 'content-type': 'application/json', 'x-signature': signature }, body: `${BODY} ` },
    });
    expect(tampered.response).toMatchObject({ statusCode: 401, body: undefined });
  });

  it('a secret that is not a whsec_ key answers 500 without detail; the sender learns nothing', async () => {
    const call = await callWebhook({
      nodeTypes,
      workflow: workflow({ verification: 'standard', secret: 'not-a-key' }),
      credentials: credentials(),
      request: { headers: signed('msg_400'), body: BODY },
    });
    expect(call.response).toMatchObject({ statusCode: 500, body: { status: 'error' } });
    expect(JSON.stringify(call.response.body as IDataObject)).not.toContain('not-a-key');
  });
});
