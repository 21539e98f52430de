import { readItemMeta, withItemMeta, withoutItemMeta } from '@takt/runtime';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

/** The record an item carries, without Takt's `_takt` metadata: what a mapping or a target sees. */
export function recordOf(item: INodeExecutionData): Record<string, unknown> {
  return withoutItemMeta(item.json);
}

/**
 * An output item paired to input `itemIndex`, carrying the input's `_takt` unchanged so the delivery token reaches
 * the Acknowledge node whatever this node did to the record.
 */
export function outputItem(
  input: INodeExecutionData | undefined,
  json: Record<string, unknown>,
  itemIndex: number,
): INodeExecutionData {
  return { json: withItemMeta(json, readItemMeta(input?.json)) as IDataObject, pairedItem: { item: itemIndex } };
}
