import { TaktError } from '../../errors';
import { FakeClock } from '../../time';
import { describeEachStore } from './__fixtures__/stores';
import {
  MINUTE,
  STREAM,
  capturingLogger,
  handedOut,
  orderSource,
  pullOptions,
  putOrder,
  rejectionCode,
  storedCursor,
  tokenOf,
} from './__fixtures__/pull-harness';
import { acknowledgeDelivery } from './acknowledge';
import { pullChanges } from './pull-changes';

const LINKED = { name: 'orders', keyFields: ['id'], deltaField: 'updatedAt', deltaTokens: true } as const;

describeEachStore('T21 delta token expired at the source', (open) => {
  async function baseline(clock: FakeClock) {
    const { store } = await open(clock);
    const source = orderSource(LINKED);
    for (let i = 1; i <= 5; i++) putOrder(source, clock, `o${i}`, i, -30 * MINUTE);
    const { logger, records: logs } = capturingLogger();
    const options = pullOptions(store, source, clock, { deltaMode: 'token', logger });
    await acknowledgeDelivery(store, tokenOf(await pullChanges(options)));
    expect((await storedCursor(store)).deltaToken).toBe('delta:5');
    return { store, source, options, logs };
  }

  it('410 on the stored link: one re-baseline hands out only what changed; the new link is stored at the ACK', async () => {
    const clock = new FakeClock();
    const { store, source, options, logs } = await baseline(clock);
    source.expireDeltaTokens();
    putOrder(source, clock, 'o3', 33, -MINUTE);

    const result = await pullChanges(options);
    expect(handedOut(result)).toEqual(['o3']);
    expect(result).toMatchObject({ stats: { rebaselined: true, read: 5, unchanged: 4, emitted: 1 } });
    expect(logs.filter((log) => log.level === 'warn').map((log) => [log.msg, log.code])).toEqual([
      ['the delta expired at the source: reading everything once (re-baseline)', 'DELTA_TOKEN_EXPIRED'],
    ]);
    expect(await storedCursor(store)).toMatchObject({ version: 1, deltaToken: 'delta:5' });

    await acknowledgeDelivery(store, tokenOf(result));
    expect(await storedCursor(store)).toMatchObject({
      version: 2,
      deltaToken: 'delta:7',
      baselineReason: 'delta expired (DELTA_TOKEN_EXPIRED)',
    });
    expect(await pullChanges(options)).toMatchObject({ status: 'nothing_new', stats: { read: 0, rebaselined: false } });
  });

  it('a re-baseline over unchanged records hands out nothing and commits the new link at once', async () => {
    const clock = new FakeClock();
    const { store, source, options } = await baseline(clock);
    source.expireDeltaTokens();
    const result = await pullChanges(options);
    expect(result).toEqual({
      status: 'nothing_new',
      stats: { read: 5, unchanged: 5, emitted: 0, hasMore: false, rebaselined: true },
    });
    expect(await storedCursor(store)).toMatchObject({ version: 2, deltaToken: 'delta:6' });
  });

  it('a second 410 in the same run fails with DELTA_REBASELINE_FAILED and moves nothing', async () => {
    const clock = new FakeClock();
    const { store, source, options } = await baseline(clock);
    const gone = new TaktError('HTTP_GONE', 'Gone (410).', { details: { status: 410 } });
    source.failNextRead(gone);
    source.failNextRead(gone);
    let message = '';
    const failed = pullChanges(options).catch((error: unknown) => {
      message = error instanceof Error ? error.message : '';
      throw error;
    });
    expect(await rejectionCode(failed)).toBe('DELTA_REBASELINE_FAILED');
    expect(message).toContain('expired at the source (HTTP_GONE), and the full re-read that replaces it expired too');
    expect(await storedCursor(store)).toMatchObject({ version: 1, deltaToken: 'delta:5' });
    expect(await store.listDeliveries(STREAM)).toEqual([]);
    // The lease was given back: the next run reads on with the stored link.
    expect(await pullChanges(options)).toMatchObject({ status: 'nothing_new', stats: { read: 0 } });
  });

  it('watermark streams re-baseline the same way on 410', async () => {
    const clock = new FakeClock();
    const { store } = await open(clock);
    const source = orderSource();
    for (let i = 1; i <= 3; i++) putOrder(source, clock, `o${i}`, i, -30 * MINUTE);
    const options = pullOptions(store, source, clock);
    await acknowledgeDelivery(store, tokenOf(await pullChanges(options)));
    source.failNextRead(new TaktError('HTTP_GONE', 'Gone (410).'));
    expect(await pullChanges(options)).toMatchObject({
      status: 'nothing_new',
      stats: { read: 3, unchanged: 3, rebaselined: true },
    });
    expect(await storedCursor(store)).toMatchObject({ version: 2, baselineReason: 'delta expired (HTTP_GONE)' });
  });
});
