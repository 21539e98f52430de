import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { planBatches, type BatchOperation, type BatchRequestPlan } from './batch-plan';
import { encodeMultipartBatch, parseMultipartBatchResponse, parseMultipartBatchResults } from './v2-multipart';

function counter(): () => string {
  let n = 0;
  return () => `id${(n += 1)}`;
}

describe('encodeMultipartBatch', () => {
  it('writes the V2 envelope of reference A.9 byte for byte: CRLF, reads outside changesets, Content-ID', () => {
    const [plan] = planBatches([
      { method: 'GET', url: 'A_ProductionOrder_2?$top=1' },
      { method: 'POST', url: 'A_ProductionOrder_2', body: { ManufacturingOrder: '1000005', Material: 'FG126' } },
      {
        method: 'MERGE',
        url: "/A_ProductionOrder_2('1000005')",
        body: { TotalQuantity: '40' },
        ifMatch: 'W/"datetimeoffset\'2024-05-01T08%3A00%3A00Z\'"',
      },
      { method: 'DELETE', url: "A_ProductionOrder_2('1000006')", headers: { 'If-Match': '*' } },
    ]);
    const encoded = encodeMultipartBatch(plan!, { newId: counter() });
    expect(encoded.headers).toEqual({
      'Content-Type': 'multipart/mixed; boundary=batch_id1',
      Accept: 'multipart/mixed',
      DataServiceVersion: '2.0',
    });
    const changeset = (id: string, contentId: string, request: string[]): string[] => [
      `Content-Type: multipart/mixed; boundary=changeset_${id}`,
      '',
      `--changeset_${id}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      `Content-ID: ${contentId}`,
      '',
      ...request,
      `--changeset_${id}--`,
      '',
    ];
    const expected = [
      '--batch_id1',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'GET A_ProductionOrder_2?$top=1 HTTP/1.1',
      'Accept: application/json',
      '',
      '',
      '--batch_id1',
      ...changeset('id2', '1', [
        'POST A_ProductionOrder_2 HTTP/1.1',
        'Accept: application/json',
        'Content-Type: application/json',
        '',
        '{"ManufacturingOrder":"1000005","Material":"FG126"}',
      ]),
      '--batch_id1',
      ...changeset('id3', '2', [
        "MERGE A_ProductionOrder_2('1000005') HTTP/1.1",
        'Accept: application/json',
        'Content-Type: application/json',
        'If-Match: W/"datetimeoffset\'2024-05-01T08%3A00%3A00Z\'"',
        '',
        '{"TotalQuantity":"40"}',
      ]),
      '--batch_id1',
      ...changeset('id4', '3', [
        "DELETE A_ProductionOrder_2('1000006') HTTP/1.1",
        'Accept: application/json',
        'If-Match: *',
        '',
        '',
      ]),
      '--batch_id1--',
      '',
    ].join('\r\n');
    expect(encoded.body).toBe(expected);
    expect(encoded.body.replace(/\r\n/g, '')).not.toMatch(/\n/);
  });

  it('asks a V4 service to continue after a failed part', () => {
    const [plan] = planBatches([{ method: 'PATCH', url: "A_WorkCenter('1')", body: {} }]);
    const { headers } = encodeMultipartBatch(plan!, { odataVersion: '4.0', newId: counter() });
    expect(headers).toEqual({
      'Content-Type': 'multipart/mixed; boundary=batch_id1',
      Accept: 'multipart/mixed',
      'OData-Version': '4.0',
      Prefer: 'odata.continue-on-error',
    });
  });

  it.each([
    [{ method: 'GET', url: 'A X' }, /contains white space/],
    [{ method: 'GET', url: 'A', headers: { 'X-A': 'a\r\nX-Injected: 1' } }, /contains a line break/],
  ] as const)('refuses operations that would corrupt the request line or headers (%j)', (operation, message) => {
    const [plan] = planBatches([operation as BatchOperation]);
    expect(() => encodeMultipartBatch(plan!)).toThrow(message);
  });
});

describe('parseMultipartBatchResponse: Gateway V2 with a failed changeset among successes', () => {
  const fixture = readFileSync(join(__dirname, '__fixtures__', 'v2-changeset-failed.response.txt'), 'utf8');
  const contentType = 'multipart/mixed; boundary=batchresp_7C1E9D52-4F0A-4B8E-A1D2-3F9B8C6E2A10';
  const order = (n: string): string => `A_ProductionOrder_2('${n}')`;
  // read | changeset [1, 2] | changeset [3, 4] | changeset [5]
  const [plan] = planBatches(
    [
      { method: 'GET', url: 'A_ProductionOrder_2?$top=1' },
      { method: 'POST', url: 'A_ProductionOrder_2', body: { Material: 'FG126' }, keyFields: ['ManufacturingOrder'] },
      { method: 'POST', url: 'A_ProductionOrder_2', body: { Material: 'FG127' } },
      { method: 'MERGE', url: order('1000005'), body: { TotalQuantity: '41' }, ifMatch: 'W/"a"' },
      { method: 'MERGE', url: order('1000006'), body: { TotalQuantity: '42' }, ifMatch: 'W/"b"' },
      { method: 'MERGE', url: order('1000007'), body: { TotalQuantity: '43' }, ifMatch: 'W/"stale"' },
    ],
    { changesetSize: 2 },
  );
  // The last changeset must hold record 5 alone for the fixture; planBatches groups [5] by itself.
  const cases: [string, string, string][] = [
    ['LF line endings', contentType, fixture],
    ['CRLF line endings', contentType, fixture.replace(/\r?\n/g, '\r\n')],
    [
      'quoted boundaries',
      contentType.replace(/boundary=(.*)$/, 'boundary="$1"'),
      fixture.replace(/boundary=(changesetresp_[\w-]+)/, 'boundary="$1"'),
    ],
  ];

  it.each(cases)('maps every record back to its index (%s)', (_name, type, body) => {
    const results = parseMultipartBatchResults(plan!, type, body);
    expect(results.map((r) => [r.index, r.action, r.targetId, r.error?.code])).toEqual([
      [0, 'unchanged', undefined, undefined],
      [1, 'created', '1000010', undefined],
      [2, 'created', '1000011', undefined],
      [3, 'error', undefined, 'BATCH_CHANGESET_FAILED'],
      [4, 'error', undefined, 'ERP_REJECTED'],
      [5, 'conflict', undefined, 'HTTP_PRECONDITION_FAILED'],
    ]);
    expect(results[1]!.etag).toBe('W/"datetimeoffset\'2024-05-01T08%3A00%3A00.1234560Z\'"');
    // No ETag header on the second create: the etag comes from __metadata.
    expect(results[2]!.etag).toBe('W/"datetimeoffset\'2024-05-01T08%3A00%3A01.0000000Z\'"');
    expect(results[4]!.error).toEqual({
      code: 'ERP_REJECTED',
      message:
        "Order 1000006 does not exist [CO/017]; An exception was raised [/IWBEP/CX_MGW_BUSI_EXCEPTION] (HTTP 400 on MERGE A_ProductionOrder_2('1000006') (record #4); SAP transaction 5F2A1C0D9E8B4C7A0D1E2F3A4B5C6D7E)",
      retryable: false,
    });
    expect(results[3]!.error?.message).toMatch(
      /^Record #3 was not written: record #4 in the same changeset failed, so the changeset was rolled back\. ERP_REJECTED: Order 1000006 does not exist/,
    );
    expect(results[3]!.error?.retryable).toBe(false);
    expect(results[5]!.error?.message).toContain('Precondition failed [/IWBEP/CM_MGW_RT/022]');
  });

  it('hands reads their body', () => {
    const [read] = parseMultipartBatchResponse(plan!, contentType, fixture);
    expect(read?.kind === 'answered' && read.response.status).toBe(200);
    expect(read?.kind === 'answered' && read.response.json).toMatchObject({
      d: { results: [{ ManufacturingOrder: '1000001' }] },
    });
  });

  it('finds the boundary in the body when the Content-Type lost it', () => {
    expect(parseMultipartBatchResults(plan!, undefined, fixture).map((r) => r.action)).toEqual([
      'unchanged',
      'created',
      'created',
      'error',
      'error',
      'conflict',
    ]);
  });
});

describe('parseMultipartBatchResponse: failures the server did not attribute', () => {
  const plan: BatchRequestPlan = planBatches(
    [
      { method: 'PATCH', url: "A_ProductionOrder_2('1')", body: {}, ifMatch: 'W/"1"' },
      { method: 'PATCH', url: "A_ProductionOrder_2('2')", body: {}, ifMatch: 'W/"2"' },
      { method: 'PATCH', url: "A_ProductionOrder_2('3')", body: {} },
    ],
    { changesetSize: 2 },
  )[0]!;

  it('gives every record of an unattributed failed changeset BATCH_CHANGESET_FAILED with the server reason', () => {
    const body = [
      '--r',
      'Content-Type: application/http',
      '',
      'HTTP/1.1 412 Precondition Failed',
      'Content-Type: application/xml',
      '',
      '<?xml version="1.0" encoding="utf-8"?><error xmlns="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"><code>/IWBEP/CM_MGW_RT/022</code><message xml:lang="en">Precondition failed</message></error>',
      '--r',
      'Content-Type: multipart/mixed; boundary=cs',
      '',
      '--cs',
      'Content-Type: application/http',
      '',
      'HTTP/1.1 204 No Content',
      '',
      '',
      '--cs--',
      '--r--',
    ].join('\n');
    const results = parseMultipartBatchResults(plan, 'multipart/mixed; boundary=r', body);
    expect(results.map((r) => [r.action, r.error?.code])).toEqual([
      ['error', 'BATCH_CHANGESET_FAILED'],
      ['error', 'BATCH_CHANGESET_FAILED'],
      ['updated', undefined],
    ]);
    expect(results[0]!.error?.message).toBe(
      "Record #0 was not written: its changeset failed and the server did not say which record caused it, so the changeset was rolled back. HTTP_PRECONDITION_FAILED: Precondition failed [/IWBEP/CM_MGW_RT/022] (HTTP 412 on PATCH A_ProductionOrder_2('1') (record #0))",
    );
    expect(results[2]!.targetId).toBe('3');
  });

  it('reports a record whose part is missing as RESPONSE_INVALID, not as success', () => {
    const body =
      '--r\nContent-Type: multipart/mixed; boundary=cs\n\n--cs\nContent-Type: application/http\n\nHTTP/1.1 204 No Content\n\n\n--cs\nContent-Type: application/http\n\nHTTP/1.1 204 No Content\n\n\n--cs--\n--r--\n';
    const results = parseMultipartBatchResults(plan, 'multipart/mixed; boundary=r', body);
    expect(results.map((r) => [r.action, r.error?.code])).toEqual([
      ['updated', undefined],
      ['updated', undefined],
      ['error', 'RESPONSE_INVALID'],
    ]);
    expect(results[2]!.error?.message).toBe(
      'The $batch response has no answer for record #2; it may or may not have been written.',
    );
  });

  it('keeps a 5xx changeset retryable and marks the records after a stop as not processed', () => {
    const body = '--r\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 500 Internal Server Error\r\n\r\n\r\n--r--';
    const results = parseMultipartBatchResults(plan, 'multipart/mixed; boundary=r', body);
    expect(results.map((r) => [r.index, r.error?.code, r.error?.retryable])).toEqual([
      [0, 'BATCH_CHANGESET_FAILED', true],
      [1, 'BATCH_CHANGESET_FAILED', true],
      [2, 'BATCH_CHANGESET_FAILED', true],
    ]);
    expect(results[2]!.error?.message).toBe(
      'Record #2 was not processed: the server stopped the batch after record #1 failed.',
    );
  });

  it('throws RESPONSE_INVALID with the SAP message when the answer is not multipart', () => {
    const body = '{"error":{"code":"/IWBEP/CM_MGW_RT/004","message":{"lang":"en","value":"Malformed batch"}}}';
    expect(() => parseMultipartBatchResponse(plan, 'application/json', body)).toThrow(
      'The $batch response is not multipart (Content-Type "application/json"). SAP said: Malformed batch [/IWBEP/CM_MGW_RT/004]',
    );
  });
});

describe('parseMultipartBatchResponse: OData 4.0 multipart', () => {
  const plan = planBatches(
    [
      { method: 'POST', url: 'A_WorkCenter', body: { WorkCenter: 'A' } },
      { method: 'POST', url: 'A_WorkCenter', body: { WorkCenter: 'B' } },
      { method: 'POST', url: 'A_WorkCenter', body: { WorkCenter: 'C' } },
    ],
    { changesetSize: 2 },
  )[0]!;

  it('names the failing record from @Core.ContentID and leaves records after a stop unprocessed', () => {
    const body = [
      '--batchresponse_1',
      'Content-Type: application/http',
      '',
      'HTTP/1.1 400 Bad Request',
      'Content-Type: application/json; odata.metadata=minimal',
      'OData-Version: 4.0',
      '',
      '{"error":{"code":"400","message":"Work center B already exists","@Core.ContentID":"1"}}',
      '--batchresponse_1--',
      '',
    ].join('\r\n');
    const results = parseMultipartBatchResults(plan, 'multipart/mixed;boundary=batchresponse_1', body);
    expect(results.map((r) => [r.index, r.error?.code, r.error?.retryable])).toEqual([
      [0, 'BATCH_CHANGESET_FAILED', false],
      [1, 'ERP_REJECTED', false],
      [2, 'BATCH_CHANGESET_FAILED', true],
    ]);
    expect(results[0]!.error?.message).toContain('record #1 in the same changeset failed');
  });

  it('matches changeset responses by Content-ID whatever their order', () => {
    const part = (id: string, location: string): string[] => [
      '--cs',
      'Content-Type: application/http',
      `Content-ID: ${id}`,
      '',
      'HTTP/1.1 201 Created',
      `Location: ${location}`,
      '',
      '',
    ];
    const body = [
      '--b',
      'Content-Type: multipart/mixed; boundary=cs',
      '',
      ...part('1', "A_WorkCenter('B')"),
      ...part('0', "A_WorkCenter('A')"),
      '--cs--',
      '--b',
      'Content-Type: multipart/mixed; boundary=cs2',
      '',
      '--cs2',
      'Content-Type: application/http',
      'Content-ID: 2',
      '',
      'HTTP/1.1 201 Created',
      "Location: A_WorkCenter('C')",
      '',
      '',
      '--cs2--',
      '--b--',
    ].join('\r\n');
    expect(parseMultipartBatchResults(plan, 'multipart/mixed; boundary=b', body).map((r) => r.targetId)).toEqual([
      'A',
      'B',
      'C',
    ]);
  });
});
