import type { Connector } from '@takt/runtime';

import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeWrite, recordProperties } from './write';

export const description: INodeProperties[] = recordProperties('create');

/** One new record per item (POST); SAP assigns the key where the entity numbers its records. */
export async function execute(
  this: IExecuteFunctions,
  connector: Connector,
  entity: string,
): Promise<INodeExecutionData[]> {
  return executeWrite(this, connector, entity, 'create');
}
