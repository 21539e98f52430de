import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
  callWebhook,
  chain,
  harnessUserFolder,
  HarnessNodeTypes,
  jsonItems,
  MapCredentialsHelper,
  pollTrigger,
  runNode,
  runWorkflow,
  standInNodeTypes,
  TAKT_PACKAGE,
  workflowNode,
  type WorkflowDefinition,
} from './index';
import { HarnessPollProbe } from './__fixtures__/HarnessPollProbe.node';
import { HarnessProbe } from './__fixtures__/HarnessProbe.node';
import { HarnessWebhookProbe } from './__fixtures__/HarnessWebhookProbe.node';

const nodeTypes = new HarnessNodeTypes(
  [new HarnessProbe(), new HarnessPollProbe(), new HarnessWebhookProbe()],
  standInNodeTypes(),
);
const probe = `${TAKT_PACKAGE}.harnessProbe`;

describe('n8n engine harness', () => {
  it('runs a node on given items: expressions, credentials and pairedItem as n8n does them', async () => {
    const { items, thrown } = await runNode({
      nodeTypes,
      type: probe,
      parameters: { suffix: '={{ "-" + $json.value.toUpperCase() }}' },
      credentials: { harnessProbeApi: { account: 'plant-7' } },
      input: jsonItems([{ value: 'a' }, { value: 'b' }]),
    });
    expect(thrown).toBeUndefined();
    expect(items).toEqual([
      { json: { value: 'a-A', account: 'plant-7' }, pairedItem: { item: 0 } },
      { json: { value: 'b-B', account: 'plant-7' }, pairedItem: { item: 1 } },
    ]);
  });

  it('leaves an optional credential off when the test supplies none', async () => {
    const { items } = await runNode({ nodeTypes, type: probe, input: jsonItems([{ value: 'x' }]) });
    expect(items.map((item) => item.json)).toEqual([{ value: 'x', account: 'none' }]);
  });

  it('attaches credentials per run and leaves the workflow definition as it was', async () => {
    const workflow: WorkflowDefinition = { nodes: [workflowNode({ name: 'Probe', type: probe })], connections: {} };
    const input = jsonItems([{ value: 'a' }]);
    const first = await runWorkflow({
      nodeTypes,
      workflow,
      input,
      startNode: 'Probe',
      credentials: { harnessProbeApi: { account: 'one' } },
    });
    expect(first.json('Probe')).toEqual([{ value: 'a', account: 'one' }]);
    expect(workflow.nodes[0]?.credentials).toBeUndefined();
    const second = await runWorkflow({ nodeTypes, workflow, input, startNode: 'Probe' });
    expect(second.json('Probe')).toEqual([{ value: 'a', account: 'none' }]);
  });

  it('hands the thrown NodeOperationError over with its itemIndex and stops the run', async () => {
    const { run, items, thrown, nodeName } = await runNode({
      nodeTypes,
      type: probe,
      input: jsonItems([{ value: 'ok' }, { value: 'bad', fail: 'input' }]),
    });
    expect(items).toEqual([]);
    expect(thrown).toBeInstanceOf(NodeOperationError);
    expect((thrown as NodeOperationError).context['itemIndex']).toBe(1);
    expect((thrown as NodeOperationError).message).toBe('item 1 asked to fail');
    expect(run.status).toBe('error');
    expect(run.error?.message).toBe('item 1 asked to fail');
    expect(run.nodeError(nodeName)?.message).toBe('item 1 asked to fail');
  });

  it('hands a NodeApiError over with its HTTP code', async () => {
    const { thrown } = await runNode({ nodeTypes, type: probe, input: jsonItems([{ value: 'x', fail: 'remote' }]) });
    expect(thrown).toBeInstanceOf(NodeApiError);
    expect((thrown as NodeApiError).httpCode).toBe('503');
    expect((thrown as NodeApiError).context['itemIndex']).toBe(0);
  });

  it('continues on fail with an error item paired to the failing input', async () => {
    const { items, thrown, run } = await runNode({
      nodeTypes,
      type: probe,
      onError: 'continueRegularOutput',
      input: jsonItems([{ value: 'ok' }, { value: 'bad', fail: 'input' }, { value: 'ok2' }]),
    });
    expect(thrown).toBeUndefined();
    expect(run.status).toBe('success');
    expect(items).toEqual([
      { json: { value: 'ok', account: 'none' }, pairedItem: { item: 0 } },
      { json: { error: { message: 'item 1 asked to fail' } }, pairedItem: { item: 1 } },
      { json: { value: 'ok2', account: 'none' }, pairedItem: { item: 2 } },
    ]);
  });

  it('runs a workflow from its Manual Trigger through two nodes, in order', async () => {
    const workflow: WorkflowDefinition = {
      nodes: [
        workflowNode({ name: 'Start', type: 'n8n-nodes-base.manualTrigger' }),
        workflowNode({ name: 'Seed', type: 'n8n-nodes-base.noOp' }),
        workflowNode({ name: 'First', type: probe, parameters: { suffix: '1' } }),
        workflowNode({ name: 'Second', type: `CUSTOM.harnessProbe`, parameters: { suffix: '={{ $json.value }}' } }),
        workflowNode({ name: 'Note', type: 'n8n-nodes-base.stickyNote', parameters: { content: 'explains' } }),
      ],
      connections: chain('Start', 'Seed', 'First', 'Second'),
    };
    const run = await runWorkflow({
      nodeTypes,
      workflow,
      startNode: 'Seed',
      input: jsonItems([{ value: 'v' }]),
    });
    expect(run.executionOrder).toEqual(['Seed', 'First', 'Second']);
    expect(run.json('First')).toEqual([{ value: 'v1', account: 'none' }]);
    expect(run.json('Second')).toEqual([{ value: 'v1v1', account: 'none' }]);
    expect(run.output('Second')[0]?.pairedItem).toEqual({ item: 0 });
    expect(run.ran('Start')).toBe(false);

    const fromTrigger = await runWorkflow({ nodeTypes, workflow });
    expect(fromTrigger.executionOrder).toEqual(['Start', 'Seed', 'First', 'Second']);
    expect(fromTrigger.json('Second')).toEqual([{ value: 'undefined1undefined1', account: 'none' }]);
  });

  it('names the missing node and what ran when a test asks for output that does not exist', async () => {
    const { run } = await runNode({ nodeTypes, type: probe, input: jsonItems([{ value: 'x' }]) });
    expect(() => run.output('Elsewhere')).toThrow('node "Elsewhere" has no run 0 (nodes that ran: Node)');
  });

  it('polls a trigger as an active workflow does and keeps its cursor in static data', async () => {
    const workflow: WorkflowDefinition = {
      nodes: [
        workflowNode({
          name: 'Poll',
          type: `${TAKT_PACKAGE}.harnessPollProbe`,
          parameters: { batch: 2, stopAfter: 3 },
        }),
        workflowNode({ name: 'Echo', type: probe, parameters: { suffix: '={{ "#" + $json.n }}' } }),
      ],
      connections: chain('Poll', 'Echo'),
    };
    const first = await pollTrigger({ nodeTypes, workflow });
    expect(first.items).toEqual([
      [
        { json: { n: 1, mode: 'trigger', activation: 'activate' } },
        { json: { n: 2, mode: 'trigger', activation: 'activate' } },
      ],
    ]);
    expect(first.run?.executionOrder).toEqual(['Poll', 'Echo']);
    expect(first.run?.json('Echo').map((json) => json['value'])).toEqual(['undefined#1', 'undefined#2']);
    expect(workflow.staticData).toEqual({ 'node:Poll': { cursor: 2 } });

    const second = await pollTrigger({ nodeTypes, workflow });
    expect(second.items?.[0]?.map((item) => item.json['n'])).toEqual([3]);
    const third = await pollTrigger({ nodeTypes, workflow });
    expect(third).toEqual({ items: null });
  });

  it('runs poll() through the engine in manual mode', async () => {
    const workflow: WorkflowDefinition = {
      nodes: [workflowNode({ name: 'Poll', type: `${TAKT_PACKAGE}.harnessPollProbe`, parameters: { batch: 1 } })],
      connections: {},
    };
    const run = await runWorkflow({ nodeTypes, workflow });
    expect(run.json('Poll')).toEqual([{ n: 1, mode: 'manual', activation: 'manual' }]);
  });

  describe('webhook', () => {
    const secret = 'probe-secret';
    const workflow = (): WorkflowDefinition => ({
      nodes: [
        workflowNode({ name: 'Hook', type: `${TAKT_PACKAGE}.harnessWebhookProbe`, webhookId: 'f00d' }),
        workflowNode({ name: 'Echo', type: probe, parameters: { suffix: '={{ "/" + $json.event.id }}' } }),
      ],
      connections: chain('Hook', 'Echo'),
    });
    const body = '{"id":"e-1","value":42}';
    const signature = createHmac('sha256', secret).update(body).digest('hex');

    it('verifies the raw body, answers, and runs the workflow on the event', async () => {
      const credentials = new MapCredentialsHelper({ harnessProbeApi: { secret, account: 'hooks' } });
      const { result, response, run } = await callWebhook({
        nodeTypes,
        workflow: workflow(),
        credentials,
        request: { headers: { 'Content-Type': 'application/json', 'X-Signature': signature }, body },
      });
      expect(result.workflowData).toEqual([[{ json: { event: { id: 'e-1', value: 42 } } }]]);
      expect(response).toEqual({ statusCode: 200, headers: {}, body: { received: true }, writtenByNode: false });
      expect(run?.executionOrder).toEqual(['Hook', 'Echo']);
      expect(run?.json('Echo')).toEqual([{ value: 'undefined/e-1', account: 'hooks' }]);
    });

    it('lets the node answer 401 itself and starts nothing', async () => {
      const { response, run } = await callWebhook({
        nodeTypes,
        workflow: workflow(),
        credentials: { harnessProbeApi: { secret, account: 'hooks' } },
        request: { headers: { 'content-type': 'application/json', 'x-signature': '00' }, body },
      });
      expect(response.statusCode).toBe(401);
      expect(response.writtenByNode).toBe(true);
      expect(run).toBeUndefined();
    });
  });

  it('keeps n8n-core in a temporary user folder, not the developer one', () => {
    expect(harnessUserFolder()).not.toBe(process.env['HOME']);
    expect(existsSync(join(harnessUserFolder(), '.n8n', 'config'))).toBe(true);
  });

  it('refuses an unknown node type with the list of known ones', async () => {
    await expect(runNode({ nodeTypes, type: 'n8n-nodes-takt.nope' })).rejects.toThrow(
      /unknown node type "n8n-nodes-takt.nope"; the harness knows: n8n-nodes-base.manualTrigger/,
    );
  });
});
