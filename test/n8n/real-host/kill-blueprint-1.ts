import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { pullStreamName } from '@takt/runtime';

import { check, checkEqual, field, tally } from './check';
import { createInstance, readBlueprints, type RunSettings } from './instance';
import { itemsOf } from './n8n-host';
import { step, type Outcome } from './outcome';
import { sleep, waitFor } from './processes';
import { withStore } from './store-view';

/**
 * Kill test: blueprint 01 in a real n8n, SIGKILLed (the whole process group) while Upsert Sync is writing a
 * 500-order delivery to a slow MES, then started again. The killed run never acknowledged its delivery, so the
 * stream hands the same orders out again once the delivery expires; orders the killed run already wrote are in
 * Takt's id map and are not sent again. Counted at the simulator: every order's job created exactly once, no
 * order missing, no content written twice.
 */

const ORDERS = 500;
const BATCH = 25;
const MES_LATENCY_MS = 400;
/** Acknowledge Within, in seconds, for this copy of the blueprint (the blueprint ships 900). */
const TTL_SECONDS = 15;

interface Node {
  name: string;
  type: string;
  parameters: Record<string, unknown>;
}

export async function runKillTest(settings: RunSettings): Promise<Outcome> {
  return await step('kill test: SIGKILL n8n in the middle of blueprint 01, start again', async (figures) => {
    const blueprint = readBlueprints(settings.repoRoot).find(
      (workflow) => workflow.file.endsWith('.json') && /\/01-/.test(workflow.file),
    );
    check(blueprint !== undefined, 'examples/n8n has no 01-… blueprint');
    const json = JSON.parse(readFileSync(blueprint.file, 'utf8')) as { nodes: Node[] };
    for (const node of json.nodes) {
      if (node.type.endsWith('.taktSapTrigger')) {
        node.parameters.options = { ...(node.parameters.options as object), deliveryTtlSeconds: TTL_SECONDS };
      }
      if (node.type.endsWith('.taktUpsertSync')) node.parameters.batchSize = BATCH;
    }
    const instance = await createInstance(
      settings,
      'kill',
      {
        seed: 11,
        size: ORDERS,
        services: ['sap', 'mes'],
        faults: {
          rules: [{ action: { type: 'latency', ms: MES_LATENCY_MS }, scope: { service: 'mes', method: 'POST' } }],
        },
      },
      [{ workflow: blueprint, json }],
    );
    try {
      const mes = instance.sim.mes;
      check(mes !== undefined, 'the simulator runs without the MES');
      const jobsCreated = (): number =>
        mes
          .effects()
          .filter(
            (effect) => effect.entity === 'jobs' && effect.external_source === 'sap' && effect.action === 'created',
          ).length;

      await instance.host.cli(['publish:workflow', `--id=${blueprint.id}`]);
      let started = Date.now();
      await instance.host.start();
      figures.push(`n8n started in ${Date.now() - started} ms`);
      // A different point of the run each time: after 20 % to 60 % of the jobs, then somewhere inside a batch.
      const killAfter = randomInt(ORDERS / 5, (ORDERS * 3) / 5);
      const atKill = await waitFor(
        'the MES to receive some of the jobs',
        () => (jobsCreated() >= killAfter ? jobsCreated() : undefined),
        120_000,
        50,
      );
      // Somewhere inside the next batch: while the MES works on it, after it answered but before Takt committed
      // it, or after the commit. Every one of these must end with each order in the MES once.
      const delay = randomInt(0, 2 * MES_LATENCY_MS);
      await sleep(delay);
      const beforeKill = jobsCreated();
      await instance.host.stop('SIGKILL');
      const afterKill = jobsCreated();
      check(afterKill < ORDERS, `the run finished (${afterKill} jobs) before the kill; slow the MES down`);
      figures.push(
        `SIGKILL ${delay} ms after the MES had ${atKill} of ${ORDERS} jobs: ${beforeKill} at the kill, ${afterKill} once the group was dead`,
      );

      const stream = pullStreamName('sap', 'production-orders');
      const pending = await withStore(
        instance.storeFile,
        async (store) => await store.listDeliveries(stream, { limit: 10 }),
      );
      checkEqual(
        pending.map((delivery) => delivery.status),
        ['pending'],
        'deliveries after the kill',
      );
      const expiresAt = Math.max(...pending.map((delivery) => delivery.expiresAt));
      await sleep(Math.max(0, expiresAt - Date.now() + 500));

      started = Date.now();
      await instance.host.start();
      await waitFor(
        'the redelivered orders to be acknowledged',
        async () => {
          const acked = await withStore(instance.storeFile, (store) =>
            store.listDeliveries(stream, { status: 'acked' }),
          );
          return acked.length > 0 ? true : undefined;
        },
        180_000,
        1000,
      );
      figures.push(`second start → redelivery → ACK in ${Date.now() - started} ms`);
      await instance.host.stop('SIGTERM');

      const executions = instance.host.executions(blueprint.id);
      figures.push(
        `n8n executions: ${executions.map((execution) => `#${execution.id} ${execution.status}`).join(', ')}`,
      );
      const redelivery = executions.find((execution) => execution.status === 'success');
      check(redelivery !== undefined, 'no successful execution after the restart');
      const actions = tally(itemsOf(redelivery, 'Upsert MES jobs').map((item) => field(item, 'action')));
      // The batch in flight at the kill reached the MES but not Takt's id map: sent again, the MES answers it as
      // updated (its content unchanged, checked below at the simulator), and the parts it had not yet received
      // are created. Every other order is created or, already committed, not sent (unchanged).
      checkEqual(
        (actions.created ?? 0) + (actions.unchanged ?? 0) + (actions.updated ?? 0),
        ORDERS,
        'created + unchanged + updated in the redelivery',
      );
      check((actions.updated ?? 0) <= BATCH, `more orders re-sent than one batch: ${JSON.stringify(actions)}`);
      figures.push(
        `redelivery through Upsert Sync: ${JSON.stringify(actions)} (unchanged = already in the MES, not sent; ` +
          'updated = the batch in flight at the kill, sent again)',
      );

      const perJob = new Map<string, { created: number; updated: number; unchanged: number }>();
      for (const effect of mes.effects()) {
        if (effect.entity !== 'jobs' || effect.external_source !== 'sap') continue;
        const counts = perJob.get(effect.external_id) ?? { created: 0, updated: 0, unchanged: 0 };
        counts[effect.action] += 1;
        perJob.set(effect.external_id, counts);
      }
      const twice = [...perJob].filter(([, counts]) => counts.created !== 1 || counts.updated !== 0);
      checkEqual(perJob.size, ORDERS, 'distinct orders that reached the MES');
      checkEqual(twice.slice(0, 5), [], 'orders created more than once or written with changed content');
      const resent = [...perJob.values()].reduce((sum, counts) => sum + counts.unchanged, 0);
      const records = mes.records('jobs').filter((record) => record.external_source === 'sap');
      checkEqual(records.length, ORDERS, 'sap jobs stored in the MES');
      check(
        records.every((record) => record.version === 1),
        'a job in the MES changed content (version > 1)',
      );
      // Each job's one part (the jobs preset) came with it: created once, linked to its job, a whole quantity.
      const partsCreated = tally(
        mes
          .effects()
          .filter(
            (effect) => effect.entity === 'parts' && effect.external_source === 'sap' && effect.action === 'created',
          )
          .map((effect) => effect.external_id),
      );
      checkEqual(Object.keys(partsCreated).length, ORDERS, 'distinct parts created in the MES');
      checkEqual(
        Object.entries(partsCreated).filter(([, count]) => count !== 1),
        [],
        'parts created more than once',
      );
      for (const job of records) {
        const part = mes.record('parts', job.external_id, 'sap');
        check(part !== undefined, `job ${job.external_id} has no part in the MES`);
        checkEqual(part.parentId, job.id, `the part of job ${job.external_id} is linked to it`);
        check(
          Number.isInteger(part.fields.quantity) && Number(part.fields.quantity) >= 1,
          `part ${job.external_id} quantity is not a whole count: ${String(part.fields.quantity)}`,
        );
      }
      figures.push(
        `MES: ${perJob.size} of ${ORDERS} orders, each created exactly once with its part, 0 content updates; ` +
          `${resent} identical re-sends (the batch in flight at the kill)`,
      );
    } finally {
      await instance.close();
    }
  });
}
