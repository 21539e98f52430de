import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorSummary, toNodeError } from './errors';
import { outputItem } from './item-meta';

/** What one input item produced: one record, several, or none. */
export type ItemOutput = Record<string, unknown> | readonly Record<string, unknown>[];

/**
 * The per-item loop every Takt node uses: `fn` runs once per input item; its records come out paired to that
 * item and carrying its `_takt`. A failing item either stops the node with an error that names the item
 * (`itemIndex`), or, with Continue On Fail, becomes `{ error: { code, message } }` paired to it while the other
 * items carry on.
 */
export async function forEachItem(
  ctx: IExecuteFunctions,
  fn: (item: INodeExecutionData, itemIndex: number) => Promise<ItemOutput>,
): Promise<INodeExecutionData[]> {
  const items = ctx.getInputData();
  const output: INodeExecutionData[] = [];
  for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
    const item = items[itemIndex] as INodeExecutionData;
    try {
      const produced = await fn(item, itemIndex);
      const records = Array.isArray(produced) ? produced : [produced as Record<string, unknown>];
      for (const record of records) output.push(outputItem(item, record, itemIndex));
    } catch (error) {
      if (!ctx.continueOnFail()) throw toNodeError(ctx.getNode(), error, itemIndex);
      output.push(errorItem(item, error, itemIndex));
    }
  }
  return output;
}

/** The Continue On Fail output for a failed item: `{ error: { code, message } }`, paired, with the input's `_takt`. */
export function errorItem(
  input: INodeExecutionData | undefined,
  error: unknown,
  itemIndex: number,
): INodeExecutionData {
  const { code, message } = errorSummary(error);
  return outputItem(input, { error: { code, message } as IDataObject }, itemIndex);
}
