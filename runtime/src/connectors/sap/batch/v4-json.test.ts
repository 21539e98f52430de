import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { BatchOperation, BatchRequestPlan, PlannedOperation } from './batch-plan';
import { planBatches } from './batch-plan';
import { encodeJsonBatch, parseJsonBatchResponse, parseJsonBatchResults } from './v4-json';

const planned = (index: number, operation: BatchOperation): PlannedOperation => ({
  index,
  contentId: String(index),
  operation,
});

describe('encodeJsonBatch', () => {
  it('writes requests with ids, lower-case headers, bodies and atomicity groups', () => {
    const [plan] = planBatches([
      { method: 'GET', url: 'A_WorkCenter?$top=1' },
      { method: 'POST', url: 'A_ProductionOrder_2', body: { ManufacturingOrder: '1000020' } },
      { method: 'PATCH', url: "A_ProductionOrder_2('1000006')", body: { TotalQuantity: 61 }, ifMatch: 'W/"x"' },
      { method: 'POST', url: '$1/to_Item', body: {}, dependsOn: [1], headers: { Prefer: 'return=minimal' } },
    ]);
    const grouped = planBatches(
      [
        { method: 'PATCH', url: "A_X('1')", body: { a: 1 } },
        { method: 'DELETE', url: "A_X('2')", ifMatch: '*' },
      ],
      { changesetSize: 2 },
    )[0]!;
    const encoded = encodeJsonBatch(plan!);
    expect(encoded.headers).toEqual({
      'Content-Type': 'application/json',
      Accept: 'application/json',
      Prefer: 'odata.continue-on-error',
    });
    expect(JSON.parse(encoded.body)).toEqual({
      requests: [
        { id: '0', method: 'GET', url: 'A_WorkCenter?$top=1' },
        {
          id: '1',
          method: 'POST',
          url: 'A_ProductionOrder_2',
          headers: { 'content-type': 'application/json' },
          body: { ManufacturingOrder: '1000020' },
        },
        {
          id: '2',
          method: 'PATCH',
          url: "A_ProductionOrder_2('1000006')",
          headers: { 'content-type': 'application/json', 'if-match': 'W/"x"' },
          body: { TotalQuantity: 61 },
        },
        {
          id: '3',
          method: 'POST',
          url: '$1/to_Item',
          headers: { 'content-type': 'application/json', prefer: 'return=minimal' },
          body: {},
          dependsOn: ['1'],
        },
      ],
    });
    expect(JSON.parse(encodeJsonBatch(grouped).body)).toEqual({
      requests: [
        {
          id: '0',
          method: 'PATCH',
          url: "A_X('1')",
          headers: { 'content-type': 'application/json' },
          body: { a: 1 },
          atomicityGroup: 'g0',
        },
        { id: '1', method: 'DELETE', url: "A_X('2')", headers: { 'if-match': '*' }, atomicityGroup: 'g0' },
      ],
    });
  });

  it('refuses MERGE and a dependency outside the request', () => {
    const [merge] = planBatches([{ method: 'MERGE', url: "A_X('1')", body: {} }]);
    expect(() => encodeJsonBatch(merge!)).toThrow('Record #0: MERGE is OData V2 only; use PATCH in V4.');
    const [split] = planBatches([{ method: 'POST', url: 'A_X', body: {}, dependsOn: [7] }]);
    expect(() => encodeJsonBatch(split!)).toThrow('Record #0 depends on record #7, which is not in the same');
  });
});

describe('parseJsonBatchResponse', () => {
  const fixture = readFileSync(join(__dirname, '__fixtures__', 'v4-json-errors.response.json'), 'utf8');
  const order = (n: string): string => `A_ProductionOrder_2('${n}')`;
  const plan: BatchRequestPlan = {
    parts: [
      { kind: 'read', operation: planned(0, { method: 'GET', url: 'A_WorkCenter?$top=1' }) },
      { kind: 'changeset', operations: [planned(1, { method: 'POST', url: 'A_ProductionOrder_2', body: {} })] },
      { kind: 'changeset', operations: [planned(2, { method: 'PATCH', url: order('1000006'), ifMatch: 'W/"1"' })] },
      {
        kind: 'changeset',
        operations: [
          planned(3, { method: 'PATCH', url: order('1000007'), body: { TotalQuantity: 10 } }),
          planned(4, { method: 'PATCH', url: order('1000008'), body: { TotalQuantity: 0 } }),
        ],
      },
      { kind: 'changeset', operations: [planned(5, { method: 'DELETE', url: order('1000009') })] },
    ],
    operations: [],
  };

  it('matches out-of-order responses by id, one result per record', () => {
    const results = parseJsonBatchResults(plan, 'application/json; odata.metadata=minimal', fixture);
    expect(results.map((r) => [r.index, r.action, r.targetId, r.etag, r.error?.code, r.error?.retryable])).toEqual([
      [0, 'unchanged', undefined, undefined, undefined, undefined],
      [1, 'created', '1000020', 'W/"20240501080000"', undefined, undefined],
      [2, 'conflict', undefined, undefined, 'HTTP_PRECONDITION_FAILED', false],
      [3, 'error', undefined, undefined, 'BATCH_CHANGESET_FAILED', false],
      [4, 'error', undefined, undefined, 'ERP_REJECTED', false],
      // No response: the service stopped after the failed group despite continue-on-error.
      [5, 'error', undefined, undefined, 'BATCH_CHANGESET_FAILED', true],
    ]);
    expect(results[4]!.error?.message).toBe(
      "Quantity must be greater than zero [PP_ORDER/105]; Unit of measure PC allows no decimals [PP_ORDER/106] (HTTP 400 on PATCH A_ProductionOrder_2('1000008') (record #4))",
    );
    expect(results[3]!.error?.message).toContain('record #4 in the same changeset failed');
    expect(results[2]!.error?.message).toBe(
      "Precondition Failed [412] (HTTP 412 on PATCH A_ProductionOrder_2('1000006') (record #2))",
    );
  });

  it('accepts an already parsed body and hands reads their JSON', () => {
    const outcomes = parseJsonBatchResponse(plan, 'application/json', JSON.parse(fixture));
    const read = outcomes[0];
    expect(read?.kind === 'answered' && read.response.json).toMatchObject({ value: [{ WorkCenter: 'ASSEMBLY1' }] });
  });

  it('treats a response named after the atomicity group as the answer of the whole group', () => {
    const grouped = planBatches(
      [
        { method: 'POST', url: 'A_X', body: {} },
        { method: 'POST', url: 'A_X', body: {} },
      ],
      { changesetSize: 2 },
    )[0]!;
    const body = { responses: [{ id: 'g0', status: 503, body: { error: { code: '503', message: 'Try later' } } }] };
    expect(
      parseJsonBatchResults(grouped, 'application/json', body).map((r) => [r.error?.code, r.error?.retryable]),
    ).toEqual([
      ['BATCH_CHANGESET_FAILED', true],
      ['BATCH_CHANGESET_FAILED', true],
    ]);
  });

  it('parses a multipart answer to a JSON batch with the multipart codec', () => {
    const [single] = planBatches([{ method: 'DELETE', url: "A_X('1')" }]);
    const body =
      '--b\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n--c\r\nContent-Type: application/http\r\nContent-ID: 0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n\r\n--c--\r\n--b--\r\n';
    expect(parseJsonBatchResults(single!, 'multipart/mixed; boundary=b', body)).toEqual([
      { index: 0, action: 'deleted', targetId: '1' },
    ]);
  });

  it('never reads a response without a status as a success', () => {
    const [single] = planBatches([{ method: 'POST', url: 'A_X', body: {} }]);
    const [result] = parseJsonBatchResults(single!, 'application/json', { responses: [{ id: '0', body: {} }] });
    expect(result?.error?.code).toBe('RESPONSE_INVALID');
  });

  it('throws RESPONSE_INVALID without a responses array', () => {
    const [single] = planBatches([{ method: 'POST', url: 'A_X', body: {} }]);
    expect(() => parseJsonBatchResponse(single!, 'application/json', '{"error":{"message":"x"}}')).toThrow(
      'The JSON $batch response has no "responses" array.',
    );
  });
});
