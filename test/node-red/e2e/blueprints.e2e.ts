import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type RunningSimulator } from '@takt/erp-simulator';
import { SqliteStateStore } from '@takt/runtime';
import { type E2eContext, openE2eContext } from '../harness/e2e-context';
import { configureExample, loadExample, nodeId } from '../harness/examples';
import { machineEvents, seqOfText } from '../harness/machine-events';
import { MqttPublisher } from '../harness/mqtt-publisher';
import { createdNotifications } from '../harness/simulator-records';
import { sleep } from '../harness/node-red-host';

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

  before(async () => {
    sim = await startSimulator({ size: SIZE, seed: 7 });
    ctx = await openE2eContext('blueprints', { taktPollMinIntervalS: 1 });
    mqtt = await MqttPublisher.connect();
  });
  after(async () => {
    await mqtt?.close();
    await ctx?.close();
    await sim?.close();
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
    const outbox = await withStore((store) => store.listOutbox({ connection: 'sap', limit: 100 }));
    assert.deepEqual(
      outbox.map((entry) => entry.status),
      events.map(() => 'sent'),
    );
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
    assert.match(String(byTopic.get('sap state')?.text), /^sap: /);
    assert.equal(byTopic.get('sap open dead letters')?.payload, 0);
    assert.equal(byTopic.get('mes state')?.payload, 'idle');
    assert.equal(byTopic.get('mes state')?.colour, 'grey');
    assert.equal(byTopic.get('mes records synced')?.payload, 0);
    assert.deepEqual(ctx.collector.all('error'), []);
  });
});

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
