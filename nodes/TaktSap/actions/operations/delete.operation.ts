import type { Connector } from '@takt/runtime';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeWrite, recordProperties } from './write';

export const description: INodeProperties[] = recordProperties('delete');

/** Deletes the record named by each item’s key fields; a record SAP no longer has fails that item. */
export async function execute(
  this: IExecuteFunctions,
  connector: Connector,
  entity: string,
): Promise<INodeExecutionData[]> {
  return executeWrite(this, connector, entity, 'delete');
}
