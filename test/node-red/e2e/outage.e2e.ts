import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type RunningSimulator, type SimRecord } from '@takt/erp-simulator';
import { SqliteStateStore, type OutboxEntry } from '@takt/runtime';
import { type E2eContext, openE2eContext } from '../harness/e2e-context';
import { configureExample, loadExample, nodeId } from '../harness/examples';
import { freePort } from '../harness/free-port';
import { type MachineEvent, machineEvents, seqOfText } from '../harness/machine-events';
import { MqttPublisher } from '../harness/mqtt-publisher';
import { sleep } from '../harness/node-red-host';
import { createdNotifications } from '../harness/simulator-records';

const SIZE = 20;
const WARM_UP = 10;
const DURING_OUTAGE = 300;
const OUTAGE_MS = 60_000;
const NOTIFICATIONS = '/sap/opu/odata/sap/API_MAINTNOTIFICATION/MaintenanceNotification';
const BATCH = '/sap/opu/odata/sap/API_MAINTNOTIFICATION/$batch';
const MACHINES = ['10000001', '10000002', '10000003', '10000004', '10000005', '10000006'];

/**
 * Issue 7's outage test. Blueprint 2 runs in a real Node-RED; the SAP simulator is stopped (connections refused)
 * for 60 s while 300 machine stops arrive over MQTT, and Node-RED is restarted in the middle of it (50 stops
 * reach the broker while Node-RED is down; its persistent QoS 1 session keeps them). A new simulator then starts
 * on the same port, empty: what reached SAP is counted across both simulator lifetimes.
 */
describe('store-and-forward through an SAP outage and a Node-RED restart', { timeout: 900_000 }, () => {
  let ctx: E2eContext;
  let mqtt: MqttPublisher;
  const sims: RunningSimulator[] = [];
  let port = 0;
  const run = `${process.pid}-${Date.now()}`;
  /** MQTT client ids of the persistent sessions the deployed flows opened on the broker. */
  const sessions = new Set<string>();

  before(async () => {
    port = await freePort();
    sims.push(await startSimulator({ port, size: SIZE, seed: 11 }));
    ctx = await openE2eContext('outage');
    mqtt = await MqttPublisher.connect();
  });
  after(async () => {
    await mqtt?.close();
    await ctx?.close();
    for (const sim of sims) await sim.close();
    for (const clientId of sessions) await MqttPublisher.discardSession(clientId);
  });

  it('delivers all 300 stops once each, in order per machine, after the ERP is back', async () => {
    const flows = configureExample(loadExample('2-').flows, {
      simulatorUrl: `http://127.0.0.1:${port}`,
      mqttClientSuffix: run,
    });
    sessions.add(String(flows.find((node) => node.type === 'mqtt-broker')?.clientid));
    await ctx.host.deploy(ctx.collector.tap(flows));
    const mqttIn = nodeId(flows, 'mqtt in');
    await waitUntil(() => statusSeen(ctx, mqttIn, 'connected'), 20_000, 'the mqtt in node to connect');

    const events = machineEvents(WARM_UP + DURING_OUTAGE, MACHINES, Date.UTC(2026, 10, 21, 5, 0, 0));
    const publish = async (batch: readonly MachineEvent[]): Promise<void> => {
      for (const event of batch) await mqtt.publish(event.topic, event.payload);
    };
    const queued = (): number => ctx.collector.all('queued').length;

    // Before the outage: the flow delivers straight through.
    await publish(events.slice(0, WARM_UP));
    const first = sims[0]!;
    await waitUntil(() => createdNotifications(first, SIZE).length >= WARM_UP, 30_000, 'the warm-up notifications');

    // The outage: nothing listens on the port for 60 s.
    await first.close();
    sims.shift();
    const outageStarted = Date.now();
    await publish(events.slice(WARM_UP, WARM_UP + 150));
    await waitUntil(() => queued() >= WARM_UP + 150, 60_000, '150 stops queued during the outage');

    const restartStarted = Date.now();
    await ctx.host.stop();
    await publish(events.slice(WARM_UP + 150, WARM_UP + 200));
    await ctx.host.start();
    const restartMs = Date.now() - restartStarted;
    await publish(events.slice(WARM_UP + 200));
    await waitUntil(() => queued() >= WARM_UP + DURING_OUTAGE, 60_000, 'every stop queued');

    const duringOutage = await outbox(ctx);
    assert.equal(duringOutage.filter((entry) => entry.status === 'sent').length, WARM_UP);
    assert.equal(duringOutage.filter((entry) => entry.status === 'pending').length, DURING_OUTAGE);
    assert.equal(Date.now() - outageStarted < OUTAGE_MS, true, 'the stops arrived while the ERP was down');
    // The sender finds the ERP down at its next round and says what waits.
    const sync = nodeId(flows, 'takt-upsert-sync');
    await waitUntil(() => statusSeen(ctx, sync, `queued ${DURING_OUTAGE} offline`), 30_000, 'the offline status');

    await sleep(Math.max(0, outageStarted + OUTAGE_MS - Date.now()));
    const second = await startSimulator({ port, size: SIZE, seed: 11 });
    sims.push(second);
    const recoveredAt = Date.now();
    await waitUntil(
      () => createdNotifications(second, SIZE).length >= DURING_OUTAGE,
      300_000,
      'all 300 notifications after the outage',
    );
    const drainMs = Date.now() - recoveredAt;
    await sleep(3_000); // anything sent twice would arrive now

    const before = createdNotifications(first, SIZE); // still readable after close: the data is in memory
    const afterOutage = createdNotifications(second, SIZE);
    assert.equal(before.length, WARM_UP);
    assert.equal(afterOutage.length, DURING_OUTAGE);
    const arrived = [...before, ...afterOutage].map((record) => keyOf(record));
    assert.equal(new Set(arrived).size, WARM_UP + DURING_OUTAGE, 'no stop arrived twice');
    assert.deepEqual(
      [...arrived].sort(),
      events.map((event) => `${event.machine}#${event.seq}`).sort(),
      'every stop arrived',
    );
    for (const machine of MACHINES) {
      const seqs = [...before, ...afterOutage]
        .filter((record) => record.TechnicalObject === machine)
        .map((record) => seqOfText(record.NotificationText));
      const expected = events.filter((event) => event.machine === machine).map((event) => event.seq);
      assert.deepEqual(seqs, expected, `${machine}'s notifications in the order it stopped`);
    }
    const settled = await outbox(ctx);
    assert.deepEqual(
      {
        sent: settled.filter((entry) => entry.status === 'sent').length,
        other: settled.length - WARM_UP - DURING_OUTAGE,
      },
      { sent: WARM_UP + DURING_OUTAGE, other: 0 },
    );
    const pushes = await withStore(ctx, (store) => store.listJobs({ connection: 'sap', kind: 'push', limit: 1000 }));
    assert.equal(
      pushes.reduce((sum, job) => sum + job.counters.created, 0),
      WARM_UP + DURING_OUTAGE,
      'the push jobs count one create per stop, across the restart',
    );
    const requests = new Map<string, number>();
    for (const entry of second.requests.list()) {
      const what = `${entry.method} ${entry.path.replace(/\(.*\)$/, '(…)')} ${entry.status}`;
      requests.set(what, (requests.get(what) ?? 0) + 1);
    }
    // Per-key order: the sender takes only the head of each machine's queue per round, so each $batch carries
    // one create per machine; before each create it looks the stop up by its natural key (none found: none sent).
    assert.equal(requests.get(`GET ${NOTIFICATIONS} 200`), DURING_OUTAGE);
    assert.equal(requests.get(`POST ${BATCH} 202`), DURING_OUTAGE / MACHINES.length);
    assert.deepEqual(
      second.requests.list().filter((entry) => entry.status >= 400),
      [],
      'the recovered simulator refused nothing',
    );
    console.log(
      `outage: ${DURING_OUTAGE} stops queued during ${OUTAGE_MS / 1000} s, Node-RED restart ${restartMs} ms, ` +
        `drained ${drainMs} ms after the ERP came back; requests to the new simulator: ${JSON.stringify([...requests])}`,
    );
  });
});

function keyOf(record: SimRecord): string {
  return `${String(record.TechnicalObject)}#${String(seqOfText(record.NotificationText))}`;
}

async function outbox(ctx: E2eContext): Promise<OutboxEntry[]> {
  return withStore(ctx, (store) => store.listOutbox({ connection: 'sap', limit: 1000 }));
}

async function withStore<T>(ctx: E2eContext, use: (store: SqliteStateStore) => Promise<T>): Promise<T> {
  const store = await SqliteStateStore.open({ file: join(ctx.userDir, 'takt-state.sqlite') });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

function statusSeen(ctx: E2eContext, node: string, text: string): boolean {
  return ctx.collector.all('status').some((entry) => {
    const status = entry.msg.status as { text?: string; source?: { id?: string } } | undefined;
    return status?.source?.id === node && String(status.text ?? '').includes(text);
  });
}

async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await sleep(200);
  }
}
