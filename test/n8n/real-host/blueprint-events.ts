import { check, checkEqual, field, tally } from './check';
import type { Instance, Workflow } from './instance';
import { itemsOf, type Execution } from './n8n-host';
import { waitFor } from './processes';
import { withStore } from './store-view';
import { postSigned, type WebhookAnswer } from './webhook-sender';

/**
 * Blueprints 02 (signed MES events → SAP), 03 (simulate a mapping) and 04 (replay dead letters). 02 needs the
 * server (a production webhook exists only while the workflow is published and n8n runs); 03 and 04 run through
 * `n8n execute`. 02 leaves one dead letter behind on purpose (SAP refuses one confirmation), which 04 replays.
 */

export interface EventsContext {
  readonly instance: Instance;
  readonly secret: string;
}

const SCOPE = 'mes-events';
/** The order whose confirmation SAP refuses in 02 (a simulator validation fault), replayed in 04. */
const REFUSED_ORDER = '1000007';

interface SapEquipment {
  readonly Equipment: string;
}

function confirmation(id: string, order: string, good: string): Record<string, unknown> {
  return {
    external_source: 'mes',
    external_id: id,
    work_order_external_id: order,
    operation_number: '0010',
    work_center: 'ASSY-01',
    good_quantity: good,
    scrap_quantity: '0',
    unit: 'PC',
    final: false,
    posting_date: '2026-11-20',
    start: '2026-11-20T06:00:00.000Z',
    end: '2026-11-20T09:30:00.000Z',
    operator: 'MES',
    idempotency_key: `6f1c2d3e-0000-4000-8000-${id.replace(/\D/g, '').padStart(12, '0')}`,
  };
}

function downtime(id: string, machine: string, hour: number): Record<string, unknown> {
  return {
    external_source: 'mes',
    external_id: id,
    machine_external_id: machine,
    work_center: 'MECH',
    description: `Spindle stop ${id}`,
    start: `2026-11-20T${String(hour).padStart(2, '0')}:10:00.000Z`,
    end: `2026-11-20T${String(hour + 1).padStart(2, '0')}:00:00.000Z`,
    breakdown: true,
  };
}

/** 02: publishes the workflow, starts n8n and plays the MES: events, a resend, a forged one, one SAP refuses. */
export async function checkMesEvents(ctx: EventsContext, workflow: Workflow, figures: string[]): Promise<void> {
  const { instance } = ctx;
  const sap = instance.sim.sap;
  check(sap !== undefined, 'the simulator runs without SAP');
  const hook = workflow.nodes.find((node) => node.type.endsWith('.taktWebhookTrigger')) as
    { webhookId?: string; parameters: Record<string, unknown> } | undefined;
  check(hook?.webhookId !== undefined, 'the blueprint has no Takt Webhook Trigger with a webhookId');
  const equipment = await readEquipment(instance.sim.url, 2);
  const before = sap.data.counts();
  instance.sim.faults.set({
    rules: [],
    sap: { validation: [{ entitySet: 'ProdnOrdConf2', property: 'OrderID', equals: REFUSED_ORDER }] },
  });

  await instance.host.cli(['publish:workflow', `--id=${workflow.id}`]);
  await instance.host.start();
  const answers: Record<string, WebhookAnswer> = {};
  try {
    const url = `${instance.host.serverUrl}/webhook/${hook.webhookId}/${String(hook.parameters.path)}`;
    const confirmations = {
      kind: 'confirmations',
      records: ['1000001', '1000002', '1000003'].map((order, i) =>
        confirmation(`CONF-${i + 1}`, order, String(10 + i)),
      ),
    };
    // n8n registers production webhooks after it reports ready; a forged event probes until it answers 401.
    answers.forged = await waitFor(
      'the webhook to be registered',
      async () => {
        const answer = await postSigned(url, ctx.secret, 'evt-forged', confirmations, { forge: true });
        return answer.status === 404 ? undefined : answer;
      },
      60_000,
      500,
    );
    answers.confirmations = await postSigned(url, ctx.secret, 'evt-conf-1', confirmations);
    // A resend while the first copy is still being processed: 409 with Retry-After (or a duplicate if it is done).
    answers.early = await postSigned(url, ctx.secret, 'evt-conf-1', confirmations);
    answers.downtime = await postSigned(url, ctx.secret, 'evt-down-1', {
      kind: 'downtime',
      records: equipment.map((machine, i) => downtime(`DT-${i + 1}`, machine, 7 + i * 2)),
    });
    answers.refused = await postSigned(url, ctx.secret, 'evt-conf-bad', {
      kind: 'confirmations',
      records: [confirmation('CONF-9', REFUSED_ORDER, '5')],
    });
    await waitFor(
      'three executions of the events workflow',
      () => {
        const done = instance.host.executions(workflow.id).filter((e) => ['success', 'error'].includes(e.status));
        return done.length >= 3 ? done : undefined;
      },
      120_000,
      1000,
    );
    answers.resend = await postSigned(url, ctx.secret, 'evt-conf-1', confirmations);
  } finally {
    await instance.host.stop('SIGTERM');
    await instance.host.cli(['unpublish:workflow', `--id=${workflow.id}`]);
    instance.sim.faults.clear();
  }

  checkEqual(answers.forged?.status, 401, 'answer to a forged signature');
  checkEqual(answers.confirmations?.status, 200, 'answer to the confirmations event (sent once the run settled it)');
  checkEqual(
    [answers.resend?.status, field({ json: asObject(answers.resend?.body) }, 'status')],
    [200, 'duplicate'],
    'answer to the resent event',
  );
  check(
    answers.early?.status === 409 || field({ json: asObject(answers.early?.body) }, 'status') === 'duplicate',
    `answer to a resend in flight: ${JSON.stringify(answers.early)}`,
  );
  checkEqual(answers.downtime?.status, 200, 'answer to the downtime event');
  checkEqual(answers.refused?.status, 200, 'answer to the event SAP refuses');
  figures.push(
    `webhook answers: forged ${answers.forged?.status}, new events 200 ×3 (answered once settled), early resend ` +
      `${answers.early?.status} ${JSON.stringify(answers.early?.body)}, resend after the run 200 duplicate`,
  );

  const executions = instance.host.executions(workflow.id);
  checkEqual(executions.length, 3, 'executions (the resend and the forged event start none)');
  checkEqual(tally(executions.map((e) => e.status)), { success: 3 }, 'execution statuses');
  const [conf, down, refused] = executions as [Execution, Execution, Execution];
  checkEqual(
    tally(itemsOf(conf, 'Post confirmations').map((i) => field(i, 'action'))),
    { created: 3 },
    'confirmations posted',
  );
  checkEqual(
    tally(itemsOf(conf, 'Acknowledge confirmations').map((i) => field(i, 'status'))),
    { acked: 3 },
    'confirmation ACKs',
  );
  checkEqual(
    tally(itemsOf(down, 'Post notifications').map((i) => field(i, 'action'))),
    { created: 2 },
    'notifications posted',
  );
  checkEqual(itemsOf(refused, 'Post confirmations', 2).length, 1, 'the refused confirmation on the errors output');
  checkEqual(
    itemsOf(refused, 'Dead-letter confirmation').map((i) => field(i, 'status')),
    ['dead_lettered'],
    'NACK result',
  );

  const after = sap.data.counts();
  checkEqual(after.Confirmations - before.Confirmations, 3, 'confirmations created in SAP');
  checkEqual(after.MaintenanceNotifications - before.MaintenanceNotifications, 2, 'notifications created in SAP');
  const batches = instance.sim.requests.list({ method: 'POST' }).filter((e) => e.path.endsWith('/$batch'));
  check(batches.length >= 2, `expected the writes to go through $batch, saw ${batches.length}`);
  figures.push(
    `SAP: +3 confirmations, +2 maintenance notifications, ${batches.length} $batch POSTs; executions: 3 success`,
  );

  const letters = await withStore(instance.storeFile, (store) =>
    store.listDeadLetters({ scope: SCOPE, status: 'open' }),
  );
  checkEqual(letters.length, 1, 'open dead letters of mes-events');
  const letter = letters[0];
  check(letter !== undefined, 'no dead letter');
  check(letter.error.message.includes('SAP refused the confirmation'), `dead letter error: ${letter.error.message}`);
  figures.push(`dead letter ${letter.id}: "${letter.error.message.slice(0, 100)}"`);
}

/** 03: SAP Get Many equipment → Map in Simulate mode: predictions, and nothing written anywhere. */
export async function checkSimulate(ctx: EventsContext, workflow: Workflow, figures: string[]): Promise<void> {
  const writesBefore = ctx.instance.sim.requests.list().filter((e) => e.method !== 'GET').length;
  const { execution, ms } = await ctx.instance.host.execute(workflow.id);
  const sample = itemsOf(execution, 'Sample equipment');
  const simulated = itemsOf(execution, 'Simulate equipment mapping');
  checkEqual([sample.length, simulated.length], [10, 10], 'equipment read and simulated');
  const actions = tally(simulated.map((item) => field(item, 'predictedAction')));
  checkEqual(actions, { create: 10 }, 'predicted actions against an empty id map');
  const first = simulated[0];
  check(first !== undefined, 'no simulated item');
  checkEqual(
    field(first, 'mapped.external_id'),
    String(field(sample[0] ?? first, 'Equipment')).replace(/^0+/, ''),
    'mapped external_id of the first record',
  );
  checkEqual(field(first, 'issues'), [], 'issues of the first record');
  const writesAfter = ctx.instance.sim.requests.list().filter((e) => e.method !== 'GET').length;
  checkEqual(writesAfter - writesBefore, 0, 'writes at the simulator during a simulation');
  figures.push(
    `n8n execute: ${ms} ms; 10 equipment simulated: ${JSON.stringify(actions)}, first → ${String(field(first, 'mapped.external_id'))} (${String(field(first, 'reason'))}); 0 writes`,
  );
}

/** 04: list the dead letter 02 left, replay it now that SAP accepts it, and close it. */
export async function checkReplay(ctx: EventsContext, workflow: Workflow, figures: string[]): Promise<void> {
  const sap = ctx.instance.sim.sap;
  check(sap !== undefined, 'the simulator runs without SAP');
  const before = sap.data.counts().Confirmations;
  const { execution, ms } = await ctx.instance.host.execute(workflow.id);
  const listed = itemsOf(execution, 'List dead letters');
  checkEqual(listed.length, 1, 'open dead letters listed');
  const replayed = itemsOf(execution, 'Replay');
  checkEqual(
    replayed.map((item) => [field(item, 'work_order_external_id'), field(item, '_takt.deliveryKind')]),
    [[REFUSED_ORDER, 'replay']],
    'replayed items',
  );
  checkEqual(
    itemsOf(execution, 'Post confirmations').map((item) => field(item, 'action')),
    ['created'],
    'replayed confirmation posted',
  );
  checkEqual(
    itemsOf(execution, 'Close replayed').map((item) => field(item, 'status')),
    ['resolved'],
    'replay ACK',
  );
  checkEqual(sap.data.counts().Confirmations - before, 1, 'confirmations created in SAP by the replay');
  const open = await withStore(ctx.instance.storeFile, (store) =>
    store.listDeadLetters({ scope: SCOPE, status: 'open' }),
  );
  checkEqual(open.length, 0, 'open dead letters after the replay');
  figures.push(
    `n8n execute: ${ms} ms; listed 1, replayed order ${REFUSED_ORDER} → created in SAP, dead letter resolved, 0 open`,
  );
}

async function readEquipment(simUrl: string, count: number): Promise<string[]> {
  const response = await fetch(`${simUrl}/sap/opu/odata/sap/API_EQUIPMENT/Equipment?$top=${count}&$format=json`, {
    headers: {
      authorization: `Basic ${Buffer.from('TAKT_USER:Welcome1!').toString('base64')}`,
      accept: 'application/json',
    },
  });
  const body = (await response.json()) as { d?: { results?: SapEquipment[] } };
  const ids = (body.d?.results ?? []).map((row) => row.Equipment);
  check(ids.length === count, `the simulator returned ${ids.length} equipment`);
  return ids;
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
