import { join } from 'node:path';

import { SqliteStateStore, type TaktError } from '@takt/runtime';
import { sapDowntimeNotification } from '@takt/runtime/dist/testing/downtime';

import type { NodeMessage, NodeStatus } from './shared/node-red';
import { doneError } from './testing/done-error';
import { downtimeOutboxNode, helperNodes, sqliteStoreNode, upsertSyncNode } from './testing/flows';
import { messages, receive, statusWhere, useRedSuite, type FlowNode } from './testing/red';
import {
  mesConnection,
  sapConnection,
  sapTestConnector,
  startSimulator,
  type RunningSimulator,
} from './testing/simulator';
import taktMesConnection from './takt-mes-connection';
import taktSapConnection from './takt-sap-connection';
import taktStore from './takt-store';
import taktUpsertSync from './takt-upsert-sync';

function input(msg: NodeMessage): void {
  receive('upsert', msg);
}

function resource(id: string, name: string, status = 'available'): Record<string, unknown> {
  return { external_source: 'nr-test', external_id: id, name, type: 'tooling', status };
}

describe('takt-upsert-sync', () => {
  const ctx = useRedSuite({ taktCloseTimeoutMs: 5_000 });

  describe('direct, into the MES', () => {
    let sim: RunningSimulator;
    beforeAll(async () => {
      sim = await startSimulator({ seed: 3, size: 20, services: ['mes'] });
    });
    afterAll(() => sim.close());

    function flow(extra: Record<string, unknown> = {}): FlowNode[] {
      return [
        mesConnection(sim),
        sqliteStoreNode('direct.sqlite'),
        upsertSyncNode('mes', 'resources', [['ok'], ['conflicts'], ['errors']], {
          delivery: 'direct',
          batchSize: 2,
          ...extra,
        }),
        ...helperNodes('ok', 'conflicts', 'errors'),
      ];
    }

    it('upserts records, answers one outcome per record and carries _takt through', async () => {
      await ctx.load([taktMesConnection, taktStore, taktUpsertSync], flow());
      const done = statusWhere('upsert', (s) => s.fill === 'green');
      const got = messages('ok');
      const meta = { token: 'tok-1', deliveryKind: 'pull' as const };
      input({
        payload: [resource('R-1', 'Gripper'), resource('R-2', 'Fixture A'), resource('R-3', 'Mold 7')],
        _takt: meta,
      });
      const [msg] = await got;
      const rows = msg?.payload as { index: number; action: string; record: Record<string, unknown> }[];
      expect(rows.map((row) => [row.index, row.action])).toEqual([
        [0, 'created'],
        [1, 'created'],
        [2, 'created'],
      ]);
      expect(rows[1]?.record).toMatchObject({ external_id: 'R-2' });
      expect(msg?._takt).toEqual(meta);
      expect(msg?.summary).toMatchObject({ created: 3, error: 0 });
      expect(typeof msg?.jobId).toBe('string');
      expect((await done).text).toBe('3/3 ok, 0 failed');
      expect(sim.mes?.record('resources', 'R-2', 'nr-test')?.fields).toMatchObject({
        name: 'Fixture A',
        type: 'tooling',
      });

      // The same records again: nothing changed, nothing sent.
      const again = messages('ok');
      const writes = (): number => sim.requests.list({}).filter((r) => r.path.includes('/api-resources/')).length;
      const before = writes();
      input({ payload: [resource('R-1', 'Gripper'), resource('R-2', 'Fixture A, new name')] });
      const rows2 = (await again)[0]?.payload as { action: string }[];
      expect(rows2.map((row) => row.action)).toEqual(['unchanged', 'updated']);
      // Only the changed record went out: one more write call, and the MES holds the new name.
      expect(writes()).toBe(before + 1);
      expect(sim.mes?.record('resources', 'R-2', 'nr-test')?.fields).toMatchObject({ name: 'Fixture A, new name' });
    });

    it('with 3 outputs sends a single rejected record to the errors output', async () => {
      await ctx.load([taktMesConnection, taktStore, taktUpsertSync], flow({ outputs: 3 }));
      const errors = messages('errors');
      input({ payload: { ...resource('R-9', 'Bad'), status: 'melted' } });
      const [msg] = await errors;
      expect(msg?.payload).toMatchObject({ index: 0, action: 'error', error: { retryable: false } });
      expect(String((msg?.payload as { error: { message: string } }).error.message)).toContain('status');
    });

    it('refuses a deploy without an entity, naming the field', async () => {
      await ctx.load([taktMesConnection, taktStore, taktUpsertSync], flow({ entity: '' }));
      const failed = doneError('upsert');
      input({ payload: resource('R-1', 'x') });
      const error = (await failed) as TaktError;
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toContain('Entity');
    });
  });

  describe('store-and-forward, newest only, into the MES', () => {
    it("sends each resource's newest state once after an outage", async () => {
      let sim = await startSimulator({ seed: 6, size: 20, services: ['mes'] });
      const port = sim.port;
      const flow: FlowNode[] = [
        mesConnection(sim),
        sqliteStoreNode('newest.sqlite'),
        upsertSyncNode('mes', 'resources', [['out']], {
          delivery: 'store-and-forward',
          keyFields: 'external_source, external_id',
          coalesce: true,
          maxRetryWaitS: 1,
        }),
        ...helperNodes('out'),
      ];
      try {
        await ctx.load([taktMesConnection, taktStore, taktUpsertSync], flow);
        await sim.close();
        for (const status of ['available', 'in_use', 'maintenance']) {
          const out = messages('out');
          input({ payload: [resource('M-1', 'Mold 1', status), resource('M-2', 'Mold 2', status)] });
          await out;
        }
        await statusWhere('upsert', (s) => /^queued 2 offline/.test(s.text ?? ''), 20_000);
        sim = await startSimulator({ seed: 6, size: 20, services: ['mes'], port });
        await statusWhere('upsert', (s) => s.text === 'sent 2', 20_000);
        expect(sim.mes?.record('resources', 'M-1', 'nr-test')?.fields).toMatchObject({ status: 'maintenance' });
        expect(sim.mes?.record('resources', 'M-2', 'nr-test')?.fields).toMatchObject({ status: 'maintenance' });
        expect(sim.mes?.effects().filter((e) => e.entity === 'resources')).toHaveLength(2);
      } finally {
        await sim.close();
      }
    }, 60_000);
  });

  describe('store-and-forward, into SAP maintenance notifications', () => {
    it('queues while SAP refuses connections, survives a restart, and delivers in order per machine, none twice', async () => {
      let sim = await startSimulator({ seed: 5, size: 50, services: ['sap'] });
      const port = sim.port;
      const { node: sap, credentials } = sapConnection(sim);
      const flow: FlowNode[] = [
        sap,
        sqliteStoreNode('forward.sqlite'),
        downtimeOutboxNode([['out']]),
        ...helperNodes('out'),
      ];
      const modules = [taktSapConnection, taktStore, taktUpsertSync];
      const machines = ['88000001', '88000002', '88000003'];
      try {
        await ctx.load(modules, flow, { 'sap-conn': credentials });
        const sent = statusWhere('upsert', (s) => s.text === 'sent 1', 15_000);
        const first = messages('out');
        input({ payload: sapDowntimeNotification('88000009', 1, 'before outage') });
        expect((await first)[0]?.queued).toBe(1);
        await sent;

        await sim.close();
        const offline = statusWhere('upsert', (s: NodeStatus) => /^queued 9 offline/.test(s.text ?? ''), 20_000);
        for (const n of [1, 2, 3]) {
          const out = messages('out');
          input({
            payload: machines.map((m) => sapDowntimeNotification(m, 10 * n, `stop ${n}`)),
            _takt: { token: `t${n}` },
          });
          const [msg] = await out;
          expect(msg?.queued).toBe(3);
          expect(msg?._takt).toEqual({ token: `t${n}` });
        }
        expect((await offline).fill).toBe('yellow');

        // Node-RED restarts while SAP is still down: the records are in the store, not in memory.
        await ctx.unload();
        const file = join(ctx.userDir, 'forward.sqlite');
        const peek = await SqliteStateStore.open({ file });
        expect(await peek.listOutbox({ connection: 'sap', status: 'pending' })).toHaveLength(9);
        await peek.close();
        await ctx.load(modules, flow, { 'sap-conn': credentials });

        sim = await startSimulator({ seed: 5, size: 50, services: ['sap'], port });
        await statusWhere('upsert', (s) => s.text === 'sent 9', 30_000);

        const connector = sapTestConnector(sim, `nr-forward-check-${process.pid}`);
        try {
          for (const machine of machines) {
            const found: Record<string, unknown>[] = [];
            for await (const page of connector.read('maintenance-notifications', {
              filter: { TechnicalObject: machine },
            })) {
              found.push(...page.records);
            }
            // SAP numbers notifications in arrival order: per machine, the stops arrived in order, each once.
            found.sort((a, b) => Number(a.MaintenanceNotification) - Number(b.MaintenanceNotification));
            expect(found.map((n) => n.NotificationText)).toEqual(['stop 1', 'stop 2', 'stop 3']);
          }
        } finally {
          await connector.close();
        }
        const store = await SqliteStateStore.open({ file });
        try {
          expect(await store.listOutbox({ connection: 'sap', status: 'pending' })).toEqual([]);
          expect(await store.listOutbox({ connection: 'sap', status: 'sent' })).toHaveLength(10);
          expect(await store.listDeadLetters({})).toEqual([]);
        } finally {
          await store.close();
        }
      } finally {
        await sim.close();
      }
    }, 90_000);
  });
});
