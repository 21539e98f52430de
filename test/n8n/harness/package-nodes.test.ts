import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openStore, startJob } from '@takt/runtime';
import { NodeOperationError } from 'n8n-workflow';

import { harnessUserFolder, jsonItems, packageN8nSection, runNode, taktNodeTypes, TAKT_PACKAGE } from './index';

/** The package's real nodes, loaded from source the way n8n loads the built ones: by package.json's n8n section. */
const nodeTypes = taktNodeTypes();
const syncStatus = `${TAKT_PACKAGE}.taktSyncStatus`;

describe('the package nodes through the harness', () => {
  const dir = mkdtempSync(join(tmpdir(), 'takt-harness-store-'));
  const file = join(dir, 'state.sqlite');

  beforeAll(async () => {
    const store = await openStore({ kind: 'sqlite', file }, { defaultDir: dir });
    const job = await startJob(store, {
      id: 'job-harness',
      connection: 'sap',
      entity: 'production-orders',
      kind: 'incremental',
      direction: 'inbound',
    });
    await store.commit({ job: { id: job.id, counters: { read: 2, created: 2 } } });
    await job.finish();
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads every node package.json lists, under the name n8n gives it', () => {
    const listed = packageN8nSection().nodes.map((path) => {
      const className = (path.split('/').pop() ?? '').split('.')[0] ?? '';
      return `${TAKT_PACKAGE}.${className.charAt(0).toLowerCase()}${className.slice(1)}`;
    });
    expect(listed).toContain(syncStatus);
    expect(nodeTypes.typeNames()).toEqual(expect.arrayContaining(listed));
  });

  it('runs Takt Sync Status on a seeded SQLite store: one job row per input item, paired, _takt kept', async () => {
    const { items, thrown } = await runNode({
      nodeTypes,
      type: syncStatus,
      parameters: { view: 'jobs', connectionName: 'sap' },
      credentials: { taktStateStore: { storeType: 'sqlite', sqliteFile: file } },
      input: jsonItems([{ _takt: { token: 't-1' } }]),
    });
    expect(thrown).toBeUndefined();
    expect(items).toHaveLength(1);
    expect(items[0]?.pairedItem).toEqual({ item: 0 });
    expect(items[0]?.json).toMatchObject({
      id: 'job-harness',
      connection: 'sap',
      entity: 'production-orders',
      status: 'success',
      _takt: { token: 't-1' },
    });
  });

  it('fails the item whose expression left the connection name empty, naming it, or continues past it', async () => {
    const options = {
      nodeTypes,
      type: syncStatus,
      parameters: { view: 'statistics', connectionName: '={{ $json.connection }}' },
      credentials: { taktStateStore: { storeType: 'sqlite', sqliteFile: file } },
      input: jsonItems([{ connection: 'sap' }, { connection: '' }]),
    };
    const { thrown } = await runNode(options);
    expect(thrown).toBeInstanceOf(NodeOperationError);
    expect((thrown as NodeOperationError).context['itemIndex']).toBe(1);
    expect((thrown as Error).message).toContain('needs a connection name');

    const continued = await runNode({ ...options, onError: 'continueRegularOutput' });
    expect(continued.thrown).toBeUndefined();
    const failed = continued.items.filter((item) => item.json['error'] !== undefined);
    expect(failed).toEqual([
      {
        json: { error: { code: 'CONFIG_INVALID', message: expect.stringContaining('needs a connection name') } },
        pairedItem: { item: 1 },
      },
    ]);
    expect(continued.items.filter((item) => item.json['error'] === undefined).map((item) => item.pairedItem)).toEqual(
      expect.arrayContaining([{ item: 0 }]),
    );
  });

  it('without a store credential keeps state in the n8n user folder, which the harness made temporary', async () => {
    const { thrown } = await runNode({ nodeTypes, type: syncStatus, parameters: { view: 'summary' } });
    expect(thrown).toBeUndefined();
    expect(existsSync(join(harnessUserFolder(), '.n8n', 'takt-state.sqlite'))).toBe(true);
  });
});
