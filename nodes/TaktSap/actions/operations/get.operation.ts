import { sapGet, TaktError, type Connector } from '@takt/runtime';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../../shared/item-loop';

export const description: INodeProperties[] = [
  {
    displayName: 'Key',
    name: 'key',
    type: 'string',
    default: '',
    required: true,
    placeholder: '1000042',
    displayOptions: { show: { operation: ['get'] } },
    description:
      'The record’s key value, or Field=Value pairs separated by commas for a composite key (Equipment=10000001, ValidityEndDate=9999-12-31)',
  },
];

/**
 * One record per input item, by key; SAP's 404 fails that item (with its itemIndex). The record comes out as
 * SAP sent it, dates as ISO 8601, decimals as text.
 */
export async function execute(
  this: IExecuteFunctions,
  connector: Connector,
  entity: string,
  keyFields: readonly string[],
): Promise<INodeExecutionData[]> {
  return forEachItem(this, async (_item, itemIndex) => {
    const key = parseKey(String(this.getNodeParameter('key', itemIndex, '')), keyFields);
    const { record } = await sapGet(connector, entity, key, { signal: this.getExecutionCancelSignal() });
    return record as IDataObject;
  });
}

/** `1000042` for a one-field key, `A=1, B=2` for any key; names the fields a composite key needs. */
export function parseKey(text: string, keyFields: readonly string[]): Record<string, string> {
  const trimmed = text.trim();
  if (trimmed === '') throw keyError(`Key is empty; enter ${describeKey(keyFields)}`);
  if (!trimmed.includes('=')) {
    if (keyFields.length === 1) return { [keyFields[0] as string]: trimmed };
    throw keyError(`This entity has a composite key; enter ${describeKey(keyFields)}`);
  }
  const key: Record<string, string> = {};
  for (const pair of trimmed.split(',')) {
    const split = pair.indexOf('=');
    const field = pair.slice(0, split).trim();
    if (split <= 0 || field === '') throw keyError(`Key part "${pair.trim()}" is not Field=Value`);
    key[field] = pair.slice(split + 1).trim();
  }
  const missing = keyFields.filter((field) => !(field in key));
  if (missing.length > 0) throw keyError(`Key lacks ${missing.join(', ')}; enter ${describeKey(keyFields)}`);
  return key;
}

function describeKey(keyFields: readonly string[]): string {
  return keyFields.length === 1 ? `the ${keyFields[0] ?? ''} value` : keyFields.map((field) => `${field}=…`).join(', ');
}

function keyError(message: string): TaktError {
  return new TaktError('CONFIG_INVALID', message);
}
