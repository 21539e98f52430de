import { readFileSync } from 'node:fs';

import { SapConnector } from '@takt/runtime';

import { checkMesEvents, checkReplay, checkSimulate, type EventsContext } from './blueprint-events';
import { check, checkEqual, field, tally } from './check';
import { createInstance, readBlueprints, type Instance, type RunSettings, type Workflow } from './instance';
import { itemsOf, type Execution } from './n8n-host';
import { step, type Outcome } from './outcome';
import { waitFor } from './processes';
import { readStore } from './store-view';
import { newWebhookSecret } from './webhook-sender';

/**
 * Every blueprint in examples/n8n imported into one real n8n and run against one simulator, in the order a
 * newcomer would try them: 01 (polling trigger: `n8n start`, the workflow published, its first poll runs on
 * activation), then the ones with a Manual Trigger through `n8n execute`. `n8n execute` starts only from a
 * Manual (or Execute Workflow) Trigger, so trigger-started workflows need the server.
 */

export const SAP_ORDERS = 40;
const MES_SOURCE = 'sap';

type Check = (ctx: EventsContext, workflow: Workflow, figures: string[]) => Promise<void>;

const CHECKS: Readonly<Record<string, Check>> = {
  '01': (ctx, workflow, figures) => checkOrdersToJobs(ctx.instance, workflow, figures),
  '02': checkMesEvents,
  '03': checkSimulate,
  '04': checkReplay,
  '05': (ctx, workflow, figures) => checkReport(ctx.instance, workflow, figures),
};

/**
 * The blueprint as imported: the webhook trigger's signing secret is empty in examples/n8n (a user pastes their
 * sender's); the run fills in one of its own.
 */
function prepared(workflow: Workflow, secret: string): unknown {
  const json = JSON.parse(readFileSync(workflow.file, 'utf8')) as {
    nodes: { type: string; parameters: Record<string, unknown> }[];
  };
  for (const node of json.nodes) {
    if (node.type.endsWith('.taktWebhookTrigger')) node.parameters.secret = secret;
  }
  return json;
}

export async function runBlueprintSuite(settings: RunSettings): Promise<Outcome[]> {
  const blueprints = readBlueprints(settings.repoRoot);
  const unchecked = blueprints.filter((workflow) => CHECKS[prefixOf(workflow)] === undefined);
  if (unchecked.length > 0) {
    throw new Error(`No end-to-end check for ${unchecked.map((workflow) => workflow.file).join(', ')}`);
  }
  const secret = newWebhookSecret();
  const instance = await createInstance(
    settings,
    'blueprints',
    { seed: 42, size: SAP_ORDERS, services: ['sap', 'mes'] },
    blueprints.map((workflow) => ({ workflow, json: prepared(workflow, secret) })),
  );
  const ctx: EventsContext = { instance, secret };
  const outcomes: Outcome[] = [];
  try {
    for (const workflow of blueprints) {
      const run = CHECKS[prefixOf(workflow)];
      if (run) outcomes.push(await step(`blueprint ${workflow.name}`, (figures) => run(ctx, workflow, figures)));
    }
  } finally {
    await instance.close();
  }
  return outcomes;
}

function prefixOf(workflow: Workflow): string {
  return /(\d\d)-[^/]*\.json$/.exec(workflow.file)?.[1] ?? '';
}

/**
 * Starts n8n with the (published) workflow and waits until it has `count` finished executions: a polling
 * trigger polls once on activation, so each start is one poll.
 */
export async function runOnServer(
  instance: Instance,
  workflowId: string,
  count: number,
  timeoutMs = 180_000,
): Promise<Execution> {
  await instance.host.start();
  try {
    const finished = await waitFor(
      `execution ${count} of ${workflowId} to finish`,
      () => {
        const done = instance.host
          .executions(workflowId)
          .filter((execution) => ['success', 'error', 'crashed'].includes(execution.status));
        return done.length >= count ? done : undefined;
      },
      timeoutMs,
      1000,
    );
    const last = finished[count - 1];
    if (!last) throw new Error(`no execution ${count} of ${workflowId}`);
    return last;
  } finally {
    await instance.host.stop('SIGTERM');
  }
}

/** 01: SAP Trigger → Map (jobs preset) → Upsert Sync (MES jobs with their parts) → Acknowledge. */
async function checkOrdersToJobs(instance: Instance, workflow: Workflow, figures: string[]): Promise<void> {
  const mes = instance.sim.mes;
  check(mes !== undefined, 'the simulator runs without the MES');
  const started = Date.now();
  await instance.host.cli(['publish:workflow', `--id=${workflow.id}`]);
  const execution = await runOnServer(instance, workflow.id, 1);
  figures.push(
    `n8n start → activation poll → execution ${execution.id} (${execution.mode}) ${execution.status} in ${Date.now() - started} ms`,
  );
  checkEqual(execution.status, 'success', `execution ${execution.id} status (${execution.error ?? ''})`);

  const polled = itemsOf(execution, 'Changed production orders');
  checkEqual(polled.length, SAP_ORDERS, 'orders handed out by the first poll');
  const tokens = new Set(polled.map((item) => field(item, '_takt.token')));
  checkEqual(tokens.size, 1, 'delivery tokens in one poll');
  checkEqual(tally(polled.map((item) => field(item, '_takt.deliveryKind'))), { pull: SAP_ORDERS }, 'delivery kinds');

  const order = polled[0];
  check(order !== undefined, 'no polled order');
  const mapped = itemsOf(execution, 'Order to MES job');
  checkEqual(mapped.length, SAP_ORDERS, 'MES jobs from the jobs preset');
  const first = mapped[0];
  check(first !== undefined, 'no mapped job');
  const orderNumber = String(field(order, 'ManufacturingOrder')).replace(/^0+/, '');
  const wholeQuantity = Math.ceil(Number(field(order, 'TotalQuantity')));
  checkEqual(
    [
      field(first, 'external_source'),
      field(first, 'external_id'),
      field(first, 'job_number'),
      field(first, 'notes'),
      field(first, 'due_date'),
    ],
    [
      MES_SOURCE,
      orderNumber,
      orderNumber,
      field(order, 'ManufacturingOrderText'),
      dayOf(field(order, 'MfgOrderPlannedEndDate')),
    ],
    'first job: source, id, number, notes (the order text), due day (the planned finish)',
  );
  checkEqual(
    [
      field(first, 'parts.0.external_id'),
      field(first, 'parts.0.part_number'),
      field(first, 'parts.0.quantity'),
      field(first, 'parts.1'),
      field(first, 'parts.0.operations'),
    ],
    [orderNumber, field(order, 'Material'), wholeQuantity, undefined, undefined],
    'first job: its one part (the order id, the material, the quantity rounded up), no operations',
  );
  for (const item of mapped) {
    const quantity = field(item, 'parts.0.quantity');
    check(
      typeof quantity === 'number' && Number.isInteger(quantity) && quantity >= 1,
      `part quantity of job ${String(field(item, 'job_number'))} is not a whole count: ${String(quantity)}`,
    );
  }
  checkEqual(field(first, '_takt.token'), [...tokens][0], 'the token carried through the Map');

  const upserted = itemsOf(execution, 'Upsert MES jobs');
  checkEqual(tally(upserted.map((item) => field(item, 'action'))), { created: SAP_ORDERS }, 'Upsert Sync actions');
  const acked = itemsOf(execution, 'Acknowledge poll');
  checkEqual(tally(acked.map((item) => field(item, 'status'))), { acked: SAP_ORDERS }, 'Acknowledge results');
  figures.push(
    `items: trigger ${polled.length}, jobs preset map ${mapped.length}, upsert ${JSON.stringify(tally(upserted.map((i) => field(i, 'action'))))}, ack ${acked.length} × acked (1 token)`,
  );

  const effects = mes.effects().filter((effect) => effect.external_source === MES_SOURCE);
  const byEntity = (entity: string): Record<string, number> =>
    tally(effects.filter((effect) => effect.entity === entity).map((effect) => effect.action));
  checkEqual(byEntity('jobs'), { created: SAP_ORDERS }, 'MES job effects');
  checkEqual(byEntity('parts'), { created: SAP_ORDERS }, 'MES part effects');
  checkEqual(byEntity('operations'), {}, 'MES operation effects (the jobs preset sends none)');
  for (const item of mapped) {
    const id = String(field(item, 'external_id'));
    const job = mes.record('jobs', id, MES_SOURCE);
    const part = mes.record('parts', id, MES_SOURCE);
    check(job !== undefined && part !== undefined, `job or part ${id} missing in the MES`);
    checkEqual(
      [job.fields.job_number, part.parentId, part.fields.part_number, part.fields.quantity],
      [field(item, 'job_number'), job.id, field(item, 'parts.0.part_number'), field(item, 'parts.0.quantity')],
      `MES job ${id} and its part (linked, material, whole quantity)`,
    );
  }
  const bulk = instance.sim.requests
    .list({ method: 'POST' })
    .filter((entry) => entry.path.endsWith('/api-jobs/bulk-sync'));
  const reads = instance.sim.requests
    .list({ method: 'GET' })
    .filter((entry) => entry.path.includes('A_ProductionOrder_2'));
  checkEqual(bulk.length, 1, 'bulk-sync calls for 40 jobs at batch size 50');
  check(reads.length >= 1, 'the trigger read no production orders from SAP');
  figures.push(
    `MES: ${SAP_ORDERS} jobs with ${SAP_ORDERS} linked parts created (effects at the simulator); ${bulk.length} bulk-sync POST, ${reads.length} SAP GET`,
  );

  const view = await readStore(instance.storeFile, 'sap', 'production-orders', 'mes');
  check(view.cursor !== undefined, 'the stream has no cursor after the ACK');
  checkEqual(view.cursor.version, 1, 'cursor version after one acknowledged poll');
  checkEqual([view.pending.length, view.acked.length], [0, 1], 'pending and acknowledged deliveries in the store');
  const idEntries = [...view.idMappings.values()].reduce((sum, count) => sum + count, 0);
  checkEqual(idEntries, SAP_ORDERS * 2, 'id map entries of connection mes (jobs + parts)');
  figures.push(
    `store: cursor v${view.cursor.version} = ${view.cursor.value.slice(0, 60)}, 1 delivery acked, ${idEntries} id map entries`,
  );

  await checkChangedOrders(instance, workflow, figures);
}

/** 01, second poll: two orders changed in SAP (through its OData API) reach the MES as updates, nothing else. */
async function checkChangedOrders(instance: Instance, workflow: Workflow, figures: string[]): Promise<void> {
  const mes = instance.sim.mes;
  check(mes !== undefined, 'the simulator runs without the MES');
  const changed = ['1000005', '1000017'];
  const sap = new SapConnector({
    id: 'e2e-change',
    baseUrl: instance.sim.url,
    client: '100',
    auth: { type: 'basic', username: 'TAKT_USER', password: 'Welcome1!' },
  });
  try {
    const results = await sap.write(
      'production-orders',
      changed.map((order) => ({
        data: { ManufacturingOrder: order, ManufacturingOrderText: `Rework ${order}` },
        etag: '*',
      })),
      { mode: 'update' },
    );
    checkEqual(
      results.map((result) => result.action),
      ['updated', 'updated'],
      'SAP writes of the two changes',
    );
  } finally {
    await sap.close();
  }
  const effectsBefore = mes.effects().length;
  try {
    const execution = await runOnServer(instance, workflow.id, 2);
    checkEqual(execution.status, 'success', `execution ${execution.id} status (${execution.error ?? ''})`);
    const polled = itemsOf(execution, 'Changed production orders');
    checkEqual(
      polled.map((item) => [field(item, 'ManufacturingOrder'), field(item, '_takt.change')]).sort(),
      changed.map((order) => [order, 'updated']),
      'orders handed out by the second poll',
    );
    checkEqual(
      itemsOf(execution, 'Upsert MES jobs').map((item) => field(item, 'action')),
      ['updated', 'updated'],
      'Upsert Sync actions of the second poll',
    );
  } finally {
    await instance.host.cli(['unpublish:workflow', `--id=${workflow.id}`]);
  }
  const effects = mes.effects().slice(effectsBefore);
  checkEqual(
    effects
      .filter((effect) => effect.entity === 'jobs')
      .map((effect) => [effect.external_id, effect.action])
      .sort(),
    changed.map((order) => [order, 'updated']),
    'MES job effects of the second poll',
  );
  for (const order of changed) {
    checkEqual(
      mes.record('jobs', order, MES_SOURCE)?.fields.notes,
      `Rework ${order}`,
      `notes of job ${order} in the MES`,
    );
  }
  const view = await readStore(instance.storeFile, 'sap', 'production-orders', 'mes');
  checkEqual(view.cursor?.version, 2, 'cursor version after the second acknowledged poll');
  figures.push(
    `second start after 2 orders changed in SAP: 2 items (_takt.change updated), MES jobs ${changed.join(', ')} updated ` +
      `(${effects.length} effects in all), cursor v2`,
  );
}
/** The day of an OData V2 date (`/Date(ms)/`) or an ISO date, `YYYY-MM-DD`. */
function dayOf(value: unknown): string {
  const text = String(value);
  const ms = /^\/Date\((-?\d+)[^)]*\)\/$/.exec(text)?.[1];
  return ms !== undefined ? new Date(Number(ms)).toISOString().slice(0, 10) : text.slice(0, 10);
}

/** 05: Manual Trigger → Sync Status (SAP, MES summaries) → Report. */
async function checkReport(instance: Instance, workflow: Workflow, figures: string[]): Promise<void> {
  const { execution, ms } = await instance.host.execute(workflow.id);
  figures.push(`n8n execute: ${ms} ms`);
  const sap = itemsOf(execution, 'SAP status');
  const mes = itemsOf(execution, 'MES status');
  const report = itemsOf(execution, 'Report');
  checkEqual([sap.length, mes.length, report.length], [1, 1, 1], 'items of SAP status, MES status, Report');
  const [sapRow, mesRow, reportRow] = [sap[0], mes[0], report[0]];
  check(sapRow !== undefined && mesRow !== undefined && reportRow !== undefined, 'missing rows');
  checkEqual(field(sapRow, 'connection'), 'sap', 'SAP summary connection');
  // After 01-04: 40 orders read, 3 + 1 confirmations and 2 notifications written; the job of the refused
  // confirmation (02) failed within 24 h, so SAP is a warning although its last job (04's replay) succeeded.
  checkEqual(
    [
      field(sapRow, 'state'),
      field(sapRow, 'records'),
      field(sapRow, 'recentFailures'),
      field(sapRow, 'lastJob.status'),
    ],
    ['warning', SAP_ORDERS + 6, 1, 'success'],
    'SAP summary state, records, failed jobs in 24 h, last job',
  );
  checkEqual(field(mesRow, 'connection'), 'mes', 'MES summary connection');
  checkEqual(field(mesRow, 'records'), SAP_ORDERS * 2, 'records synced to the MES (jobs + parts)');
  checkEqual(
    [field(mesRow, 'state'), field(mesRow, 'lastJob.status')],
    ['ok', 'success'],
    'MES summary state, last job',
  );
  checkEqual(field(reportRow, 'subject'), 'Takt sync report: SAP warning, MES ok', 'report subject');
  checkEqual(field(reportRow, 'needsAttention'), true, 'report needsAttention');
  check(String(field(reportRow, 'report')).includes(String(field(mesRow, 'text'))), 'the report carries the MES text');
  figures.push(`SAP: ${String(field(sapRow, 'state'))} — ${String(field(sapRow, 'text'))}`);
  figures.push(`MES: ${String(field(mesRow, 'state'))} — ${String(field(mesRow, 'text'))}`);
  figures.push(`subject: ${String(field(reportRow, 'subject'))}`);
}
