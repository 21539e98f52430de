import { NodeOperationError, type IDataObject, type INodeExecutionData, type INodeParameters } from 'n8n-workflow';

import {
  callWebhook,
  chain,
  HarnessNodeTypes,
  releaseAll,
  runNode,
  signedJsonRequest,
  standInNodeTypes,
  StateFolder,
  TAKT_PACKAGE,
  workflowNode,
  type CredentialMap,
  type WorkflowDefinition,
} from '../../../test/n8n/harness';
import { TaktWebhookTrigger } from '../../TaktWebhookTrigger/TaktWebhookTrigger.node';
import { TaktAcknowledge } from '../TaktAcknowledge.node';

const nodeTypes = new HarnessNodeTypes([new TaktWebhookTrigger(), new TaktAcknowledge()], standInNodeTypes());
const ACK = `${TAKT_PACKAGE}.taktAcknowledge`;
const SECRET = `whsec_${Buffer.alloc(32, 8).toString('base64')}`;

let folder: StateFolder;

beforeAll(() => {
  folder = StateFolder.create('ack-node');
});

afterAll(() => releaseAll(folder));

function credentials(): CredentialMap {
  return { taktStateStore: folder.storeCredential() };
}

/** Webhook Trigger → Acknowledge NACK: every event the workflow receives fails for good. */
const failing: WorkflowDefinition = {
  id: 'wf-nack',
  nodes: [
    workflowNode({
      name: 'Events',
      type: `${TAKT_PACKAGE}.taktWebhookTrigger`,
      webhookId: 'downtime',
      parameters: { path: 'downtime', scope: 'downtime', verification: 'standard', secret: SECRET },
    }),
    workflowNode({
      name: 'Give Up',
      type: ACK,
      parameters: { operation: 'nack', message: '={{ "machine " + $json.machine + " unknown in SAP" }}' },
    }),
  ],
  connections: chain('Events', 'Give Up'),
};

async function send(creds: CredentialMap, id: string, record: IDataObject) {
  return callWebhook({
    nodeTypes,
    workflow: failing,
    credentials: creds,
    request: signedJsonRequest(SECRET, id, record),
  });
}

/** Takt Acknowledge alone with `parameters`, on `input` (one empty item by default). */
function runAck(parameters: INodeParameters, creds: CredentialMap, input: INodeExecutionData[] = [{ json: {} }]) {
  return runNode({ nodeTypes, type: ACK, parameters, credentials: creds, input });
}

describe('Takt Acknowledge through the n8n engine', () => {
  it('NACK dead-letters events; List shows them; Replay emits them with replay tokens; ACK resolves a replay', async () => {
    const creds = credentials();
    const first = await send(creds, 'dt-1', { machine: 'M-7', minutes: 12 });
    await send(creds, 'dt-2', { machine: 'M-9', minutes: 3 });
    expect(first.run?.output('Give Up').map((item) => [item.json['status'], item.json['eventId']])).toEqual([
      ['dead_lettered', 'dt-1'],
    ]);

    const listed = await runAck({ operation: 'listDeadLetters', scope: 'downtime', status: 'open', limit: 10 }, creds);
    expect(listed.thrown).toBeUndefined();
    expect(
      listed.items.map((item) => [item.json['key'], item.json['payload'], item.json['error'], item.pairedItem]),
    ).toEqual([
      [
        'dt-1',
        { machine: 'M-7', minutes: 12 },
        { code: 'EVENT_NACKED', message: 'machine M-7 unknown in SAP', retryable: false },
        { item: 0 },
      ],
      [
        'dt-2',
        { machine: 'M-9', minutes: 3 },
        { code: 'EVENT_NACKED', message: 'machine M-9 unknown in SAP', retryable: false },
        { item: 0 },
      ],
    ]);

    const replayed = await runAck(
      { operation: 'replay', scope: 'downtime', ids: String(listed.items[0]?.json['id']), limit: 10 },
      creds,
    );
    expect(replayed.items).toHaveLength(1);
    expect(replayed.items[0]).toMatchObject({
      json: {
        machine: 'M-7',
        minutes: 12,
        _takt: { deliveryKind: 'replay', eventId: 'dt-1', deadLetterId: listed.items[0]?.json['id'] },
      },
      pairedItem: { item: 0 },
    });

    const resolved = await runAck({ operation: 'ack' }, creds, replayed.items);
    expect(resolved.items.map((item) => [item.json['status'], item.json['kind'], item.json['eventId']])).toEqual([
      ['resolved', 'replay', 'dt-1'],
    ]);
    const open = await runAck({ operation: 'listDeadLetters', scope: 'downtime', status: 'open', limit: 10 }, creds);
    expect(open.items.map((item) => item.json['key'])).toEqual(['dt-2']);
  });

  it('settles each token once and answers every item; an item without a token fails alone with Continue On Fail', async () => {
    const creds = credentials();
    const received = await callWebhook({
      nodeTypes,
      workflow: { ...failing, nodes: [failing.nodes[0]!], connections: {} },
      credentials: creds,
      request: signedJsonRequest(SECRET, 'dt-4', { machine: 'M-2' }),
    });
    const token = (received.result.workflowData?.[0]?.[0]?.json['_takt'] as IDataObject)['token'];
    // Suppose a Map step split the event into two records: both carry its token. Settled twice, the second
    // would answer already_acked; settled once, both items answer acked.
    const input: INodeExecutionData[] = [
      { json: { part: 'a', _takt: { token } } },
      { json: { part: 'none' } },
      { json: { part: 'b', _takt: { token } } },
    ];
    const settled = await runNode({
      nodeTypes,
      type: ACK,
      parameters: { operation: 'ack' },
      credentials: creds,
      input,
      onError: 'continueRegularOutput',
    });
    expect(settled.items.map((item) => [item.pairedItem, item.json['status'] ?? item.json['error']])).toEqual([
      [{ item: 0 }, 'acked'],
      [
        { item: 1 },
        {
          code: 'CONFIG_INVALID',
          message:
            "The acknowledgement token is missing: point the token at the item's _takt.token (the trigger, webhook or replay that produced the item puts it there).",
        },
      ],
      [{ item: 2 }, 'acked'],
    ]);
    expect(settled.items[0]?.json['_takt']).toEqual({ token });
    // A later execution acknowledging the same token changes nothing and says so.
    const again = await runAck({ operation: 'ack' }, creds, [input[0]!]);
    expect(again.items.map((item) => item.json['status'])).toEqual(['already_acked']);
  });

  it('NACK keeps the Dead Letter Payload it is pointed at: the event as the trigger received it', async () => {
    const creds = credentials();
    const definition: WorkflowDefinition = {
      id: 'wf-nack-payload',
      nodes: [
        { ...failing.nodes[0]! },
        workflowNode({ name: 'Pass', type: 'n8n-nodes-base.noOp' }),
        workflowNode({
          name: 'Give Up',
          type: ACK,
          parameters: {
            operation: 'nack',
            message: 'no',
            payload: "={{ { ...$('Events').item.json, receivedBy: 'Events' } }}",
          },
        }),
      ],
      connections: chain('Events', 'Pass', 'Give Up'),
    };
    const call = await callWebhook({
      nodeTypes,
      workflow: definition,
      credentials: creds,
      request: signedJsonRequest(SECRET, 'dt-9', { machine: 'M-4', minutes: 8 }),
    });
    expect(call.run?.output('Give Up').map((item) => item.json['status'])).toEqual(['dead_lettered']);
    const listed = await runAck({ operation: 'listDeadLetters', scope: 'downtime', status: 'open', limit: 10 }, creds);
    // The trigger's item (its _takt left out), not the item the NACK node was given.
    expect(listed.items.map((item) => item.json['payload'])).toEqual([
      { machine: 'M-4', minutes: 8, receivedBy: 'Events' },
    ]);
  });

  it('without Continue On Fail, a bad token stops the node naming the item', async () => {
    const { thrown } = await runAck({ operation: 'ack' }, credentials(), [
      { json: { _takt: { token: 'no-such-delivery' } } },
      { json: {} },
    ]);
    expect(thrown).toBeInstanceOf(NodeOperationError);
    expect((thrown as NodeOperationError).context['itemIndex']).toBe(0);
    expect((thrown as NodeOperationError).message).toContain('No delivery has this token');
  });
});
