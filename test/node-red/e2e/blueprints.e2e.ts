import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type RunningSimulator } from '@takt/erp-simulator';
import { pullStreamName, SqliteStateStore } from '@takt/runtime';
import { type E2eContext, openE2eContext } from '../harness/e2e-context';
import { configureExample, DEMO_WEBHOOK_SECRET, loadExample, nodeId } from '../harness/examples';
import { machineEvents, seqOfText } from '../harness/machine-events';
import { MqttPublisher } from '../harness/mqtt-publisher';
import { createdNotifications } from '../harness/simulator-records';
import { sleep } from '../harness/node-red-host';
import { patchSap } from '../harness/sap-writes';
import { postSignedEvent } from '../harness/webhook-sender';

const SIZE = 40;

/**
 * Every example flow of the package, deployed through the admin API of a real Node-RED with the packed package
 * installed, run against the ERP simulator and the local MQTT broker; results asserted at the simulator and in
 * the SQLite store the flows share (the default file in the user directory).
 */
describe('example flows in a real Node-RED', { timeout: 900_000 }, () => {
  let ctx: E2eContext;
  let sim: RunningSimulator;
  let mqtt: MqttPublisher;
  const run = `${process.pid}-${Date.now()}`;
  /** MQTT client ids of the persistent sessions the deployed flows opened on the broker. */
  const sessions = new Set<string>();

  before(async () => {
    sim = await startSimulator({ size: SIZE, seed: 7 });
    // The editor and admin API under /admin, as `npm start` runs them: with both at '/' (Node-RED's default) the
    // admin API's JSON parser reads webhook bodies before takt-webhook-in can verify them (install.e2e checks it).
    ctx = await openE2eContext('blueprints', { taktPollMinIntervalS: 1, httpAdminRoot: '/admin' });
    mqtt = await MqttPublisher.connect();
  });
  after(async () => {
    await mqtt?.close();
    await ctx?.close();
    await sim?.close();
    for (const clientId of sessions) await MqttPublisher.discardSession(clientId);
  });

  const target = () => ({ simulatorUrl: sim.url, mqttClientSuffix: run });
  const withStore = async <T>(use: (store: SqliteStateStore) => Promise<T>): Promise<T> => {
    const store = await SqliteStateStore.open({ file: join(ctx.userDir, 'takt-state.sqlite') });
    try {
      return await use(store);
    } finally {
      await store.close();
    }
  };

  it('2: machine stops over MQTT become SAP maintenance notifications, one each, in order per machine', async () => {
    const example = loadExample('2-');
    const flows = configureExample(example.flows, target());
    sessions.add(String(flows.find((node) => node.type === 'mqtt-broker')?.clientid));
    await ctx.host.deploy(ctx.collector.tap(flows));
    await waitForStatus(ctx, nodeId(flows, 'mqtt in'), 'connected');

    const machines = ['10000003', '10000011'];
    const events = machineEvents(8, machines, Date.UTC(2026, 10, 20, 6, 0, 0));
    for (const event of events) await mqtt.publish(event.topic, event.payload);
    // A running state is no downtime: the function drops it.
    await mqtt.publish('factory/line-1/10000003/state', { state: 'running', start: new Date().toISOString() });

    const queued = await ctx.collector.waitFor('queued', events.length, 30_000, 'one message per stop');
    assert.equal(queued.length, events.length);
    const created = await waitFor(
      () => {
        const found = createdNotifications(sim, SIZE);
        return found.length >= events.length ? found : undefined;
      },
      60_000,
      'notifications at the simulator',
    );
    assert.equal(created.length, events.length);
    for (const machine of machines) {
      const mine = created.filter((record) => record.TechnicalObject === machine);
      assert.deepEqual(
        mine.map((record) => seqOfText(record.NotificationText)),
        [1, 2, 3, 4],
        `order of ${machine}'s notifications`,
      );
    }
    const first = events[0]!;
    const notification = created.find(
      (record) => record.TechnicalObject === first.machine && seqOfText(record.NotificationText) === 1,
    );
    assert.equal(notification?.NotificationText, `${first.machine} ${first.payload.reason} #1`);
    assert.equal(notification?.NotificationType, 'M2');
    assert.equal(notification?.MaintenanceObjectIsDown, true);
    assert.equal(notification?.MalfunctionStartDate, Date.UTC(2026, 10, 20));
    const { outbox, pushes } = await withStore(async (store) => ({
      outbox: await store.listOutbox({ connection: 'sap', limit: 100 }),
      pushes: await store.listJobs({ connection: 'sap', kind: 'push', limit: 100 }),
    }));
    assert.deepEqual(
      outbox.map((entry) => entry.status),
      events.map(() => 'sent'),
    );
    assert.equal(
      pushes.reduce((sum, job) => sum + job.counters.created, 0),
      events.length,
      'the push jobs count one create per stop',
    );
    assert.deepEqual(ctx.collector.all('error'), []);
  });

  const simulateFiveOrders = async (): Promise<{ predicted: unknown; rows: Record<string, unknown>[] }> => {
    const flows = configureExample(loadExample('3-').flows, target());
    await ctx.host.deploy(ctx.collector.tap(flows));
    ctx.collector.clear();
    await ctx.host.inject(nodeId(flows, 'inject', 'simulate'));
    const [prediction] = await ctx.collector.waitFor('prediction');
    const [rows] = await ctx.collector.waitFor('per record');
    assert.deepEqual(ctx.collector.all('error'), []);
    const payload = prediction!.msg.payload as { records: number; predicted: unknown; invalid: number };
    assert.equal(payload.records, 5);
    assert.equal(payload.invalid, 0);
    return { predicted: payload.predicted, rows: rows!.msg.payload as Record<string, unknown>[] };
  };

  it('3: simulating the jobs preset on five orders predicts five creates and writes nothing', async () => {
    const before = sim.requests.list({ service: 'mes' }).length;
    const { predicted, rows } = await simulateFiveOrders();
    assert.deepEqual(predicted, { create: 5 });
    const order = sim.sap?.data.get('ProductionOrders', { ManufacturingOrder: '1000000' });
    const first = rows.find((row) => (row.mapped as { job_number?: string }).job_number === '1000000');
    // The jobs preset: one job per order with its one part, the quantity rounded up to a whole count.
    assert.deepEqual(first?.mapped, {
      external_source: 'sap',
      external_id: '1000000',
      job_number: '1000000',
      due_date: new Date(Number(order?.MfgOrderPlannedEndDate)).toISOString().slice(0, 10),
      notes: order?.ManufacturingOrderText,
      parts: [
        {
          external_id: '1000000',
          part_number: order?.Material,
          quantity: Math.ceil(Number(order?.TotalQuantity)),
          notes: `Order quantity ${Number(order?.TotalQuantity)} ${String(order?.ProductionUnit)}`,
        },
      ],
    });
    assert.equal(sim.requests.list({ service: 'mes' }).length, before, 'a simulation sends nothing to the MES');
    assert.deepEqual(sapJobs(sim), []);
  });

  it('1: changed SAP production orders become MES jobs, acknowledged; a change in SAP updates its job', async () => {
    const flows = configureExample(loadExample('1-').flows, target());
    ctx.collector.clear();
    await ctx.host.deploy(ctx.collector.tap(flows)); // polls on start
    const [first] = await ctx.collector.waitFor('acknowledged', 1, 60_000, 'the first delivery');
    assert.equal((first!.msg.ack as { status: string }).status, 'acked');
    // One created per job and one per its part.
    assert.deepEqual(counts(first!.msg.summary), {
      created: 2 * SIZE,
      updated: 0,
      unchanged: 0,
      conflict: 0,
      error: 0,
    });
    assert.equal(sapJobs(sim).length, SIZE);
    const job = sim.mes!.record('jobs', '1000007', 'sap');
    const order = sim.sap!.data.get('ProductionOrders', { ManufacturingOrder: '1000007' })!;
    assert.equal(job?.fields.job_number, '1000007');
    assert.equal(job?.fields.due_date, new Date(Number(order.MfgOrderPlannedEndDate)).toISOString().slice(0, 10));
    assert.equal(job?.fields.notes, order.ManufacturingOrderText);
    // Every job came with its one part: linked to the job, the order's material, a whole quantity (rounded up).
    for (const synced of sapJobs(sim)) {
      const source = sim.sap!.data.get('ProductionOrders', { ManufacturingOrder: synced.external_id })!;
      const part = sim.mes!.record('parts', synced.external_id, 'sap');
      assert.equal(part?.parentId, synced.id, `the part of job ${synced.external_id} is linked to it`);
      assert.deepEqual(
        [part?.fields.part_number, part?.fields.quantity],
        [source.Material, Math.ceil(Number(source.TotalQuantity))],
        `part of job ${synced.external_id}`,
      );
      assert.ok(Number.isInteger(part?.fields.quantity), `whole quantity of part ${synced.external_id}`);
    }
    assert.deepEqual(createdOnce(sim, 'jobs'), { ids: SIZE, repeated: [] });
    assert.deepEqual(createdOnce(sim, 'parts'), { ids: SIZE, repeated: [] });
    assert.equal(
      sim.mes!.effects().filter((effect) => effect.entity === 'operations' && effect.external_source === 'sap').length,
      0,
    );

    await patchSap(sim.url, 'API_PRODUCTION_ORDER_2_SRV', "A_ProductionOrder_2('1000007')", { TotalQuantity: '999' });
    await ctx.host.inject(nodeId(flows, 'inject', 'poll now'));
    const acks = await ctx.collector.waitFor('acknowledged', 2, 60_000, 'the delivery of the changed order');
    const second = acks[1]!.msg;
    assert.equal((second.payload as unknown[]).length, 1);
    // The quantity is the part's: the part is updated, its job (same number, notes, due date) is unchanged.
    assert.deepEqual(counts(second.summary), { created: 0, updated: 1, unchanged: 1, conflict: 0, error: 0 });
    const part = sim.mes!.record('parts', '1000007', 'sap');
    assert.deepEqual(
      [part?.fields.quantity, part?.fields.notes],
      [999, `Order quantity 999 ${String(order.ProductionUnit)}`],
      'the changed quantity reached the part',
    );
    assert.equal(sapJobs(sim).length, SIZE);
    assert.deepEqual(createdOnce(sim, 'jobs'), { ids: SIZE, repeated: [] });
    assert.deepEqual(createdOnce(sim, 'parts'), { ids: SIZE, repeated: [] });
    assert.deepEqual(ctx.collector.all('error'), []);
    assert.deepEqual(ctx.collector.all('not applied'), []);
    // In the store: the cursor moved once per acknowledged delivery, one upsert job per delivery.
    const { cursor, jobs } = await withStore(async (store) => ({
      cursor: await store.getCursor(pullStreamName('sap', 'production-orders')),
      jobs: await store.listJobs({ connection: 'mes', entity: 'jobs', limit: 10 }),
    }));
    assert.equal(cursor?.version, 2);
    assert.deepEqual(
      jobs.map((job) => [job.status, job.counters.created, job.counters.updated, job.counters.failed]).sort(),
      [
        ['success', 0, 1, 0],
        ['success', 2 * SIZE, 0, 0],
      ],
    );
  });

  it('3 again: after the flow went live the same simulation predicts no change', async () => {
    const { predicted } = await simulateFiveOrders();
    assert.deepEqual(predicted, { unchanged: 5 });
  });

  it('4: events the MES rejects become dead letters; listed, then replayed once the MES accepts them', async () => {
    const flows = configureExample(loadExample('4-').flows, target());
    await ctx.host.deploy(ctx.collector.tap(flows));
    ctx.collector.clear();
    const events = [1, 2, 3].map((n) => ({
      type: 'sap.s4.beh.productionorder.v1.ProductionOrder.Changed.v1',
      data: {
        ManufacturingOrder: `200000${n}`,
        Material: 'FG-PUMP-01',
        TotalQuantity: String(10 * n),
        ProductionUnit: 'PC',
        ProductionPlant: '1010',
        MfgOrderPlannedEndDate: `2026-12-0${n}`,
      },
    }));
    sim.faults.add({ action: { type: 'status', status: 422 }, scope: { service: 'mes' } });
    for (const event of events) {
      const reply = await postSignedEvent(`${ctx.host.url}/takt/sap-events`, DEMO_WEBHOOK_SECRET, event);
      assert.equal(reply.status < 300, true, `webhook answered ${reply.status} ${reply.body}`);
    }
    const dead = await ctx.collector.waitFor('dead-lettered', 3, 30_000, 'three NACKs');
    assert.deepEqual(
      dead.map((entry) => (entry.msg.ack as { status: string }).status),
      ['dead_lettered', 'dead_lettered', 'dead_lettered'],
    );

    await ctx.host.inject(nodeId(flows, 'inject', 'list failed events'));
    const [listed] = await ctx.collector.waitFor('dead letters');
    const letters = listed!.msg.payload as {
      scope: string;
      status: string;
      payload: { data: { ManufacturingOrder: string } };
    }[];
    assert.deepEqual(
      letters.map((letter) => [letter.scope, letter.status, letter.payload.data.ManufacturingOrder]),
      events.map((event) => ['webhook:/takt/sap-events', 'open', event.data.ManufacturingOrder]),
    );
    assert.equal(sim.mes!.record('jobs', '2000001', 'sap'), undefined);

    sim.faults.clear();
    await ctx.host.inject(nodeId(flows, 'inject', 'replay failed events'));
    const applied = await ctx.collector.waitFor('applied', 3, 30_000, 'three replayed events applied');
    assert.deepEqual(
      applied.map((entry) => (entry.msg.ack as { status: string }).status),
      ['resolved', 'resolved', 'resolved'],
    );
    for (const event of events) {
      const job = sim.mes!.record('jobs', event.data.ManufacturingOrder, 'sap');
      assert.equal(job?.fields.notes, `FG-PUMP-01 x ${event.data.TotalQuantity} PC (plant 1010)`);
      assert.equal(job?.fields.due_date, event.data.MfgOrderPlannedEndDate);
    }
    ctx.collector.clear();
    await ctx.host.inject(nodeId(flows, 'inject', 'list failed events'));
    const [after] = await ctx.collector.waitFor('dead letters');
    assert.deepEqual(after!.msg.payload, []);
    const resolved = await withStore((store) =>
      store.listDeadLetters({ scope: 'webhook:/takt/sap-events', status: 'resolved', limit: 10 }),
    );
    assert.equal(resolved.length, 3);
  });

  it('6: takt-sap reads one production order and updates its text', async () => {
    const flows = configureExample(loadExample('6-').flows, target());
    await ctx.host.deploy(ctx.collector.tap(flows));
    ctx.collector.clear();
    await ctx.host.inject(nodeId(flows, 'inject', 'order 1000001'));
    const [read] = await ctx.collector.waitFor('as read');
    const [result] = await ctx.collector.waitFor('result');
    const before = read!.msg.payload as Record<string, unknown>;
    assert.equal(before.ManufacturingOrder, '1000001');
    assert.equal(before.Material, sim.sap!.data.get('ProductionOrders', { ManufacturingOrder: '1000001' })?.Material);
    assert.equal((result!.msg.payload as { action?: string }).action, 'updated');
    const text = String(
      sim.sap!.data.get('ProductionOrders', { ManufacturingOrder: '1000001' })?.ManufacturingOrderText,
    );
    assert.match(text, /^Checked at \d\d:\d\d UTC$/);
    assert.deepEqual(ctx.collector.all('error'), []);
  });

  it('5: the sync status becomes dashboard messages per connection', async () => {
    const example = loadExample('5-');
    const flows = configureExample(example.flows, target());
    ctx.collector.clear();
    await ctx.host.deploy(ctx.collector.tap(flows));
    ctx.collector.clear();
    await ctx.host.inject(nodeId(flows, 'inject', 'every minute'));
    const messages = await ctx.collector.waitFor('dashboard', 8);
    const byTopic = new Map(messages.map((entry) => [entry.msg.topic, entry.msg]));
    // SAP: blueprint 2's push jobs and blueprint 1's polls (the newest job), all successful; the poll stream's
    // id map holds the SIZE orders it hashed.
    assert.equal(byTopic.get('sap state')?.payload, 'ok');
    assert.equal(byTopic.get('sap state')?.colour, 'green');
    assert.match(String(byTopic.get('sap state')?.text), /^sap: last incremental production-orders success/);
    assert.equal(byTopic.get('sap records synced')?.payload, SIZE);
    assert.equal(byTopic.get('sap failed jobs (24 h)')?.payload, 0);
    assert.equal(byTopic.get('sap open dead letters')?.payload, 0);
    // MES: blueprint 1 synced SIZE jobs with SIZE parts, blueprint 4 three more jobs after three failed upserts
    // (24 h of warning).
    assert.equal(byTopic.get('mes state')?.payload, 'warning');
    assert.equal(byTopic.get('mes state')?.colour, 'orange');
    assert.equal(byTopic.get('mes records synced')?.payload, 2 * SIZE + 3);
    assert.equal(byTopic.get('mes failed jobs (24 h)')?.payload, 3);
    assert.equal(byTopic.get('mes open dead letters')?.payload, 0);
    assert.deepEqual(ctx.collector.all('error'), []);
  });
});

/** The MES jobs the flows wrote (the MES simulator starts with seeded jobs of its own source). */
function sapJobs(sim: RunningSimulator) {
  return sim.mes!.records('jobs').filter((job) => job.external_source === 'sap');
}

/** How many records of `entity` the flows created in the MES, and the ids created more than once. */
function createdOnce(sim: RunningSimulator, entity: 'jobs' | 'parts'): { ids: number; repeated: string[] } {
  const created = new Map<string, number>();
  for (const effect of sim.mes!.effects()) {
    if (effect.entity !== entity || effect.external_source !== 'sap' || effect.action !== 'created') continue;
    created.set(effect.external_id, (created.get(effect.external_id) ?? 0) + 1);
  }
  return { ids: created.size, repeated: [...created].filter(([, count]) => count > 1).map(([id]) => id) };
}

function counts(summary: unknown): Record<string, unknown> {
  const { created, updated, unchanged, conflict, error } = summary as Record<string, unknown>;
  return { created, updated, unchanged, conflict, error };
}

async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await sleep(200);
  }
}

/** Waits until a node painted a status whose text contains `text` (e.g. the mqtt in node's "connected"). */
async function waitForStatus(ctx: E2eContext, node: string, text: string, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    () =>
      ctx.collector.all('status').some((entry) => {
        const status = entry.msg.status as { text?: string; source?: { id?: string } } | undefined;
        return status?.source?.id === node && String(status.text ?? '').includes(text);
      })
        ? true
        : undefined,
    timeoutMs,
    `${node} status "${text}"`,
  );
}
