import {
  isErrorCode,
  parseJsonObject,
  sapWrite,
  TaktError,
  type Connector,
  type SapRecordResult,
  type SapWriteOperation,
} from '@takt/runtime';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { errorItem } from '../../../shared/item-loop';
import { outputItem, recordOf } from '../../../shared/item-meta';
import { toNodeError } from '../../../shared/errors';

/** Where a write's record comes from: the item itself (without `_takt`) or a JSON parameter. */
export function recordProperties(operation: SapWriteOperation): INodeProperties[] {
  const show = { operation: [operation] };
  return [
    {
      displayName: 'Record Source',
      name: 'recordSource',
      type: 'options',
      options: [
        {
          name: 'Input Item',
          value: 'item',
          description:
            'Send each item’s fields as they are (without _takt): map it first, since a record as read holds read-only and navigation properties SAP refuses',
        },
        { name: 'JSON', value: 'json', description: 'Send the record given below, per item' },
      ],
      default: 'item',
      displayOptions: { show },
    },
    {
      displayName: 'Record (JSON)',
      name: 'recordJson',
      type: 'json',
      default: '{}',
      required: true,
      displayOptions: { show: { ...show, recordSource: ['json'] } },
      description:
        operation === 'create'
          ? 'The properties of the new record by their SAP names; dates as ISO 8601 (as Get returns them), decimals as text'
          : 'The properties to send by their SAP names, including the key fields; dates as ISO 8601 (as Get returns them)',
    },
  ];
}

/**
 * Writes every input item's record in one run (`$batch` where the entity allows it) and answers per item:
 * `{ action, targetId, etag }`. A record SAP rejects fails its own item: an error naming that item, or with
 * Continue On Fail an `{ error }` item while the others show what happened to them.
 */
export async function executeWrite(
  ctx: IExecuteFunctions,
  connector: Connector,
  entity: string,
  operation: SapWriteOperation,
): Promise<INodeExecutionData[]> {
  const items = ctx.getInputData();
  const output: (INodeExecutionData | undefined)[] = Array.from({ length: items.length }, () => undefined);
  const records: { readonly itemIndex: number; readonly data: Record<string, unknown> }[] = [];
  items.forEach((item, itemIndex) => {
    try {
      records.push({ itemIndex, data: recordFor(ctx, item, itemIndex) });
    } catch (error) {
      if (!ctx.continueOnFail()) throw toNodeError(ctx.getNode(), error, itemIndex);
      output[itemIndex] = errorItem(item, error, itemIndex);
    }
  });
  const batchSize = Number(ctx.getNodeParameter('options.batchSize', 0, 100));
  const results = await sapWrite(
    connector,
    entity,
    operation,
    records.map(({ data }) => ({ data })),
    { batchSize, signal: ctx.getExecutionCancelSignal() },
  );
  results.forEach((result, position) => {
    const itemIndex = records[position]?.itemIndex ?? position;
    const item = items[itemIndex];
    if (result.action === 'error' || result.action === 'conflict') {
      if (!ctx.continueOnFail()) throw toNodeError(ctx.getNode(), failure(result, results), itemIndex);
      output[itemIndex] = errorItem(item, failure(result), itemIndex);
      return;
    }
    output[itemIndex] = outputItem(item, resultJson(result), itemIndex);
  });
  return output.filter((entry): entry is INodeExecutionData => entry !== undefined);
}

function recordFor(ctx: IExecuteFunctions, item: INodeExecutionData, itemIndex: number): Record<string, unknown> {
  if (ctx.getNodeParameter('recordSource', itemIndex, 'item') === 'item') return recordOf(item);
  return parseJsonObject(ctx.getNodeParameter('recordJson', itemIndex, '{}'), 'Record (JSON)') ?? {};
}

function resultJson(result: SapRecordResult): IDataObject {
  return {
    action: result.action,
    ...(result.targetId === undefined ? {} : { targetId: result.targetId }),
    ...(result.etag === undefined ? {} : { etag: result.etag }),
  };
}

/**
 * A failed record as a TaktError with its code and SAP's (redacted) message. When it stops the workflow (`all`
 * given) and others were written, the message says so, because stopping does not undo them.
 */
function failure(result: SapRecordResult, all: readonly SapRecordResult[] = [result]): TaktError {
  const record = result.error ?? { code: 'INTERNAL', message: 'The record failed without a reason', retryable: false };
  const failed = all.filter((entry) => entry.action === 'error' || entry.action === 'conflict').length;
  const written = all.length - failed;
  const others = written === 1 ? '1 other was' : `${written} others were`;
  const note = written > 0 ? ` (${failed} of ${all.length} records failed; ${others} written)` : '';
  return new TaktError(isErrorCode(record.code) ? record.code : 'ERP_REJECTED', `${record.message}${note}`, {
    retryable: record.retryable,
    details: { failedRecords: failed, records: all.length },
  });
}
