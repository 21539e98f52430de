import type { IdMapping } from '../../state';
import { contentHash } from '../content-hash';
import { resolveCheck } from './conflict';
import { flatten } from './flatten';
import { resolveLevels } from './nesting';
import { planRecord, type Decision, type PlanContext } from './plan';
import { decodeWrittenState } from './written-state';

const context: PlanContext = {
  connection: 'mes',
  strategy: 'manual',
  modifiedField: 'changed_at',
  targetModifiedField: 'changed_at',
  idempotencyKeys: true,
};
const levels = resolveLevels({ entity: 'job', children: [] }, []);
const record = { external_source: 'erp', external_id: 'J1', job_number: 'JOB-1', changed_at: '2026-01-01T08:00:00Z' };
const node = (data: Readonly<Record<string, unknown>>) => {
  const [flat] = flatten([data], levels);
  if (!flat) throw new Error('no node');
  return flat;
};
const mapping = (data: Readonly<Record<string, unknown>>, sourceVersion?: string): IdMapping => ({
  connection: 'mes',
  entity: 'job',
  source: 'erp',
  externalId: 'J1',
  targetId: 'T1',
  contentHash: contentHash(data),
  sourceVersion,
  updatedAt: 0,
});

/** The planner is pure: decisions from a record, its id map row, its parent and the target's record. */
describe('planRecord', () => {
  it('refuses a record without a key, skips a superseded one, fails a child of a failed parent', () => {
    expect(planRecord({ node: node({ ...record, external_id: null }) }, context)).toMatchObject({
      kind: 'error',
      error: { code: 'KEY_MISSING' },
    });
    expect(planRecord({ node: node(record), supersededBy: '7' }, context)).toMatchObject({ kind: 'skipped' });
    const parentError = { code: 'PARENT_FAILED', message: 'parent failed', retryable: true };
    expect(planRecord({ node: node(record), parent: { ok: false, error: parentError } }, context)).toEqual({
      kind: 'error',
      key: { entity: 'job', source: 'erp', externalId: 'J1' },
      error: parentError,
    });
  });

  it('is unchanged on an equal hash, a write without a row, a check when both may have changed', () => {
    expect(planRecord({ node: node(record), mapping: mapping(record) }, context)).toMatchObject({
      kind: 'unchanged',
      targetId: 'T1',
    });
    const created = planRecord({ node: node(record) }, context);
    expect(created).toMatchObject({ kind: 'write', storeHash: contentHash(record), previous: undefined });
    const changed = { ...record, job_number: 'JOB-1b' };
    expect(planRecord({ node: node(changed), mapping: mapping(record) }, context).kind).toBe('check');
    expect(
      planRecord({ node: node(changed), mapping: mapping(record) }, { ...context, strategy: 'source_wins' }).kind,
    ).toBe('write');
  });

  it('remembers per-field digests of what it wrote, and decides a check from them', () => {
    const created = planRecord({ node: node(record) }, context) as Extract<Decision, { kind: 'write' }>;
    expect(created.written.version).toBe('2026-01-01T08:00:00Z');
    expect(Object.keys(created.written.source ?? {}).sort()).toEqual(Object.keys(record).sort());
    const row = mapping(record, JSON.stringify({ v: created.written.version, s: created.written.source }));
    expect(decodeWrittenState(row.sourceVersion).source).toEqual(created.written.source);

    const changed = { ...record, job_number: 'JOB-1b' };
    const check = planRecord({ node: node(changed), mapping: row }, context);
    if (check.kind !== 'check') throw new Error(check.kind);
    expect(resolveCheck(check, record, context).kind).toBe('write');
    expect(resolveCheck(check, { ...record, job_number: 'JOB-1c' }, context)).toMatchObject({
      kind: 'conflict',
      error: { code: 'SYNC_CONFLICT' },
    });
    expect(resolveCheck(check, changed, context)).toMatchObject({ kind: 'unchanged', remember: { targetId: 'T1' } });
    expect(resolveCheck(check, undefined, context).kind).toBe('write');
  });
});
