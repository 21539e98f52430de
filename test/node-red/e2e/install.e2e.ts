import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type E2eContext, openE2eContext } from '../harness/e2e-context';
import { DEMO_WEBHOOK_SECRET, loadExamples } from '../harness/examples';
import { postSignedEvent } from '../harness/webhook-sender';

const TAKT_TYPES = [
  'takt-sap-connection',
  'takt-mes-connection',
  'takt-store',
  'takt-sap',
  'takt-sap-poll',
  'takt-webhook-in',
  'takt-map',
  'takt-upsert-sync',
  'takt-ack',
  'takt-status',
];

/** Node-RED as installed, with its default settings layout: editor, admin API and flow endpoints all at '/'. */
describe('the packed package in a real Node-RED', { timeout: 600_000 }, () => {
  let ctx: E2eContext;
  before(async () => {
    ctx = await openE2eContext('install');
  });
  after(async () => {
    await ctx?.close();
  });

  it('installs from the tarball and registers every Takt node type without a load error', async () => {
    const info = await ctx.host.moduleInfo('node-red-contrib-takt');
    assert.deepEqual(info.errors, []);
    assert.deepEqual([...info.types].sort(), [...TAKT_TYPES].sort());
    console.log(`installed in ${ctx.install.seconds.toFixed(1)} s (dependencies from cache: ${ctx.install.fromCache})`);
  });

  it('lists every example of the package under Import › Examples, each importable on its own', async () => {
    const shipped = loadExamples();
    assert.deepEqual(
      await ctx.host.examples('node-red-contrib-takt'),
      shipped.map((example) => example.file.replace(/\.json$/, '')),
    );
    const seen = new Set<string>();
    for (const example of shipped) {
      const imported = await ctx.host.example('node-red-contrib-takt', example.file.replace(/\.json$/, ''));
      assert.deepEqual(imported, example.flows, `${example.file} as installed`);
      const ids = new Set(imported.map((node) => node.id));
      for (const node of imported) {
        assert.equal(seen.has(node.id), false, `${example.file}: id ${node.id} is used by another example too`);
        seen.add(node.id);
        // Config nodes travel with the example: every reference resolves inside the file.
        for (const field of ['z', 'connection', 'sap', 'mes', 'store', 'broker']) {
          const ref = node[field];
          if (typeof ref === 'string' && ref !== '' && node.type !== 'mqtt-broker') {
            assert.equal(ids.has(ref), true, `${example.file}: ${node.id}.${field} → ${ref}`);
          }
        }
      }
    }
  });

  it('taps what reaches a debug node: an inject → change → debug flow delivers its message to the collector', async () => {
    await ctx.host.deploy(
      ctx.collector.tap([
        { id: 'tab', type: 'tab', label: 'tap check' },
        {
          id: 'inj',
          type: 'inject',
          z: 'tab',
          props: [{ p: 'payload' }],
          payload: '41',
          payloadType: 'num',
          wires: [['chg']],
        },
        {
          id: 'chg',
          type: 'change',
          z: 'tab',
          rules: [{ t: 'set', p: 'payload', pt: 'msg', to: '$$.payload + 1', tot: 'jsonata' }],
          wires: [['dbg']],
        },
        { id: 'dbg', type: 'debug', z: 'tab', name: 'answer', wires: [] },
      ]),
    );
    await ctx.host.inject('inj');
    const [got] = await ctx.collector.waitFor('answer');
    assert.equal(got?.msg.payload, 42);
  });

  it("takes a signed webhook with Node-RED's default layout, where the admin API's body parser sees every request", async () => {
    await ctx.host.deploy(
      ctx.collector.tap([
        { id: 'tab', type: 'tab', label: 'webhook' },
        {
          id: 'in',
          type: 'takt-webhook-in',
          z: 'tab',
          path: '/takt/check',
          store: 'store',
          verification: 'standard',
          ackTimeout: 5,
          maxAttempts: 5,
          credentials: { secret: DEMO_WEBHOOK_SECRET },
          wires: [['got']],
        },
        { id: 'got', type: 'debug', z: 'tab', name: 'event', wires: [] },
        { id: 'store', type: 'takt-store', storeType: 'sqlite', file: '' },
      ]),
    );
    const reply = await postSignedEvent(`${ctx.host.url}/takt/check`, DEMO_WEBHOOK_SECRET, { order: '1000001' });
    assert.equal(reply.status < 300, true, `webhook answered ${reply.status} ${reply.body}`);
    const [got] = await ctx.collector.waitFor('event');
    assert.deepEqual(got?.msg.payload, { order: '1000001' });
  });
});
