import type { Connector } from '@takt/runtime';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeWrite, recordProperties } from './write';

export const description: INodeProperties[] = recordProperties('update');

/** Changes the properties sent on the record named by its key fields (PATCH / MERGE); fields not sent keep their values. */
export async function execute(
  this: IExecuteFunctions,
  connector: Connector,
  entity: string,
): Promise<INodeExecutionData[]> {
  return executeWrite(this, connector, entity, 'update');
}
