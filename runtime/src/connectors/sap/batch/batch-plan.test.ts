import { TaktError } from '../../../errors';
import type { WriteResult } from '../../types';
import {
  DEFAULT_MAX_OPERATIONS,
  collectResults,
  planBatches,
  type BatchOperation,
  type BatchRequestPlan,
} from './batch-plan';

const post = (n: number): BatchOperation => ({ method: 'POST', url: 'A_ProductionOrder_2', body: { n } });
const get = (url: string): BatchOperation => ({ method: 'GET', url });

/** Each part as a list of input indexes, reads marked with "r". */
function shape(plan: BatchRequestPlan): string[] {
  return plan.parts.map((part) =>
    part.kind === 'read' ? `r${part.operation.index}` : part.operations.map((p) => p.index).join(','),
  );
}

describe('planBatches', () => {
  it('puts every write in its own changeset by default, so a bad record fails alone', () => {
    const plans = planBatches([post(0), post(1), post(2)]);
    expect(plans).toHaveLength(1);
    expect(shape(plans[0]!)).toEqual(['0', '1', '2']);
    expect(plans[0]!.operations.map((p) => p.contentId)).toEqual(['0', '1', '2']);
  });

  it('groups N consecutive writes into one atomic changeset when asked', () => {
    const plans = planBatches([post(0), post(1), post(2), post(3), post(4)], { changesetSize: 2 });
    expect(shape(plans[0]!)).toEqual(['0,1', '2,3', '4']);
  });

  it('keeps reads outside changesets and in input order, closing the open changeset', () => {
    const plans = planBatches([post(0), get('A_X?$top=1'), post(2), post(3)], { changesetSize: 5 });
    expect(shape(plans[0]!)).toEqual(['0', 'r1', '2,3']);
  });

  it(`splits requests at maxOperations (default ${DEFAULT_MAX_OPERATIONS}) without cutting a changeset`, () => {
    const ops = Array.from({ length: 250 }, (_, i) => post(i));
    expect(planBatches(ops).map((p) => p.operations.length)).toEqual([100, 100, 50]);
    const grouped = planBatches(ops.slice(0, 10), { maxOperations: 4, changesetSize: 3 });
    // 3 + 3 > 4 starts a new request; 3 + 1 fits.
    expect(grouped.map(shape)).toEqual([['0,1,2'], ['3,4,5'], ['6,7,8', '9']]);
  });

  it('caps a changeset at the request size and keeps every index exactly once', () => {
    const plans = planBatches(
      Array.from({ length: 7 }, (_, i) => post(i)),
      { maxOperations: 3, changesetSize: 10 },
    );
    expect(plans.map(shape)).toEqual([['0,1,2'], ['3,4,5'], ['6']]);
    expect(plans.flatMap((p) => p.operations.map((o) => o.index))).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('returns no request for no operations', () => {
    expect(planBatches([])).toEqual([]);
  });

  it.each([
    [{ maxOperations: 0 }, /maxOperations must be a positive integer/],
    [{ maxOperations: 1001 }, /exceeds 1000/],
    [{ changesetSize: 1.5 }, /changesetSize must be a positive integer/],
  ])('refuses %j as CONFIG_INVALID', (options, message) => {
    const attempt = (): unknown => planBatches([post(0)], options);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect(TaktError.is(error) && error.code).toBe('CONFIG_INVALID');
    }
  });
});

describe('collectResults', () => {
  it('orders results by input index and reports a record nobody answered', () => {
    const partial: WriteResult[] = [
      { index: 2, action: 'created', targetId: 'c' },
      { index: 0, action: 'updated', targetId: 'a' },
    ];
    const results = collectResults(3, partial);
    expect(results.map((r) => [r.index, r.action])).toEqual([
      [0, 'updated'],
      [1, 'error'],
      [2, 'created'],
    ]);
    expect(results[1]!.error).toEqual({
      code: 'INTERNAL',
      message: 'No batch result for record #1; it may or may not have been written.',
      retryable: false,
    });
  });
});
