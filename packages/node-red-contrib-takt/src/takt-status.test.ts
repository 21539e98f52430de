import type { NodeMessage } from './shared/node-red';
import { doneError } from './testing/done-error';
import { helperNodes, sqliteStoreNode, upsertSyncNode } from './testing/flows';
import { messages, receive, statusWhere, useRedSuite, type FlowNode } from './testing/red';
import { mesConnection, useSimulator } from './testing/simulator';
import taktMesConnection from './takt-mes-connection';
import taktStatus from './takt-status';
import taktStore from './takt-store';
import taktUpsertSync from './takt-upsert-sync';

function resource(id: string, status: string): Record<string, unknown> {
  return { external_source: 'nr-status', external_id: id, name: `Tool ${id}`, type: 'tooling', status };
}

describe('takt-status', () => {
  const ctx = useRedSuite();
  const sim = useSimulator({ seed: 4, size: 20, services: ['mes'] });

  function statusNode(id: string, view: string, extra: Record<string, unknown> = {}): FlowNode {
    return { id, type: 'takt-status', store: 'st', view, connectionName: 'mes', limit: 10, wires: [['out']], ...extra };
  }

  async function load(file: string, ...nodes: FlowNode[]): Promise<void> {
    await ctx.load(
      [taktMesConnection, taktStore, taktUpsertSync, taktStatus],
      [
        mesConnection(sim()),
        sqliteStoreNode(file),
        upsertSyncNode('mes', 'resources', [['synced']]),
        ...helperNodes('synced', 'out'),
        ...nodes,
      ],
    );
  }

  async function sync(records: Record<string, unknown>[]): Promise<NodeMessage | undefined> {
    const synced = messages('synced');
    receive('upsert', { payload: records });
    return (await synced)[0];
  }

  it('summarises a connection in one row and shows its text under the node', async () => {
    await load('summary.sqlite', statusNode('s-summary', 'summary'));
    const idle = messages('out');
    receive('s-summary', {});
    expect((await idle)[0]?.payload).toMatchObject({ connection: 'mes', state: 'idle', records: 0 });

    await sync([resource('T-1', 'available'), resource('T-2', 'in_use')]);
    const shown = statusWhere('s-summary', (s) => s.fill === 'green');
    const ok = messages('out');
    receive('s-summary', {});
    const summary = (await ok)[0]?.payload as Record<string, unknown>;
    expect(summary).toMatchObject({ connection: 'mes', state: 'ok', records: 2, openDeadLetters: 0 });
    expect(summary.text).toBe('mes: last push resources success (2 ok, 0 failed), 2 record(s) synced');
    expect((await shown).text).toBe('mes: last push resources success (2 ok, 0 faile…');
  });

  it('lists jobs newest first and the failed records of a failed job', async () => {
    await load('jobs.sqlite', statusNode('s-jobs', 'jobs'), statusNode('s-failed', 'failed-records'));
    const first = await sync([resource('T-1', 'available')]);
    const second = await sync([resource('T-3', 'available'), resource('T-4', 'melted')]);

    const jobs = messages('out');
    receive('s-jobs', {});
    const rows = (await jobs)[0]?.payload as Record<string, unknown>[];
    expect(rows.map((row) => [row.id, row.status, row.success, row.errorCount])).toEqual([
      [second?.jobId, 'failed', 1, 1],
      [first?.jobId, 'success', 1, 0],
    ]);

    const failed = messages('out');
    receive('s-failed', { jobId: second?.jobId });
    const records = (await failed)[0]?.payload as Record<string, unknown>[];
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ jobId: second?.jobId, externalId: expect.stringContaining('T-4') });
  });

  it('asks for the connection name when the summary has none', async () => {
    await load('none.sqlite', statusNode('s-none', 'summary', { connectionName: '' }));
    const failed = doneError('s-none');
    receive('s-none', {});
    const error = await failed;
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('Connection Name');
  });
});
