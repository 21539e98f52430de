import {
  customEntity,
  keyFieldsOf,
  TaktError,
  type Connector,
  type DeltaFieldType,
  type SapEntityConfig,
} from '@takt/runtime';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from '../../shared/errors';
import { withSapConnector } from '../../shared/resources';
import * as create from './operations/create.operation';
import * as createOrUpdate from './operations/createOrUpdate.operation';
import * as del from './operations/delete.operation';
import * as get from './operations/get.operation';
import * as getMany from './operations/getMany.operation';
import * as update from './operations/update.operation';
import { isPresetResource, isSapOperation, SAP_RESOURCES, type TaktSapOperation } from './node.type';
import { operationsOf } from './description';

type OperationExecute = (
  this: IExecuteFunctions,
  connector: Connector,
  entity: string,
  keyFields: readonly string[],
) => Promise<INodeExecutionData[]>;

const OPERATIONS: Record<TaktSapOperation, OperationExecute> = {
  get: get.execute,
  getMany: getMany.execute,
  create: create.execute,
  update: update.execute,
  createOrUpdate: createOrUpdate.execute,
  delete: del.execute,
};

/**
 * Resolves the entity (a preset, or the entity set the user typed), takes the pooled connector of the selected
 * credential (with the node's sap-client override) and runs the operation. Per-item errors carry their
 * itemIndex from the operations; what fails before any item (credentials, entity) is converted here.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  const resource = this.getNodeParameter('resource', 0);
  const operation = this.getNodeParameter('operation', 0);
  try {
    if (resource !== 'anyEntitySet' && !isPresetResource(resource)) {
      throw new TaktError('CONFIG_INVALID', `Resource "${String(resource)}" is not supported by this node`);
    }
    if (!isSapOperation(operation) || !operationsOf(resource).includes(operation)) {
      throw new TaktError(
        'CONFIG_INVALID',
        `Operation "${String(operation)}" is not available for ${resource}; choose one of ${operationsOf(resource).join(', ')}`,
      );
    }
    const custom: SapEntityConfig[] = resource === 'anyEntitySet' ? [customEntityOf(this)] : [];
    const entity = custom[0]?.name ?? (isPresetResource(resource) ? SAP_RESOURCES[resource].entity : '');
    const sapClient = String(this.getNodeParameter('options.sapClient', 0, '') ?? '').trim();
    const items = await withSapConnector(
      this,
      (connector) => OPERATIONS[operation].call(this, connector, entity, keyFieldsOf(connector, entity)),
      custom,
      sapClient === '' ? undefined : (config) => ({ ...config, sapClient }),
    );
    return [items];
  } catch (error) {
    throw toNodeError(this.getNode(), error);
  }
}

function customEntityOf(ctx: IExecuteFunctions): SapEntityConfig {
  return customEntity({
    service: String(ctx.getNodeParameter('service', 0)),
    entitySet: String(ctx.getNodeParameter('entitySet', 0)),
    keyFields: String(ctx.getNodeParameter('keyFields', 0)),
    deltaField: String(ctx.getNodeParameter('deltaField', 0, '') ?? ''),
    deltaFieldType: deltaFieldTypeOf(ctx.getNodeParameter('deltaFieldType', 0, 'datetimeoffset')),
  });
}

function deltaFieldTypeOf(value: unknown): DeltaFieldType {
  return value === 'datetime' || value === 'timestamp14' ? value : 'datetimeoffset';
}
