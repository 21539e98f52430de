import type { Connector } from '@takt/runtime';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeWrite, recordProperties } from './write';

export const description: INodeProperties[] = recordProperties('createOrUpdate');

/** Reads each record by key, then creates it, updates it, or reports it unchanged without a write. */
export async function execute(
  this: IExecuteFunctions,
  connector: Connector,
  entity: string,
): Promise<INodeExecutionData[]> {
  return executeWrite(this, connector, entity, 'createOrUpdate');
}
