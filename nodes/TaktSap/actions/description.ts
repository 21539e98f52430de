import { SAP_ENTITY_PRESETS, type SapOperation } from '@takt/runtime';
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { sapAuthenticationProperty } from '../../shared/descriptions';
import * as create from './operations/create.operation';
import * as createOrUpdate from './operations/createOrUpdate.operation';
import * as del from './operations/delete.operation';
import * as get from './operations/get.operation';
import * as getMany from './operations/getMany.operation';
import * as update from './operations/update.operation';
import { SAP_RESOURCES, type PresetResource, type TaktSapResource } from './node.type';

const OPERATION_OPTIONS: Record<SapOperation, INodePropertyOptions> = {
  get: { name: 'Get', value: 'get', action: 'Get a record', description: 'Read one record by its key' },
  getMany: {
    name: 'Get Many',
    value: 'getMany',
    action: 'Get many records',
    description: 'Read records, filtered and changed since a time',
  },
  create: { name: 'Create', value: 'create', action: 'Create a record', description: 'Create a record per item' },
  update: {
    name: 'Update',
    value: 'update',
    action: 'Update a record',
    description: 'Change the record named by each item’s key fields',
  },
  createOrUpdate: {
    name: 'Create or Update',
    value: 'createOrUpdate',
    action: 'Create or update a record',
    description: 'Create a record, or update it if it exists (read by key first)',
  },
  delete: { name: 'Delete', value: 'delete', action: 'Delete a record', description: 'Delete the record by key' },
};

/** The operations a preset entity allows, from its capabilities (work centers are read only, say). */
export function operationsOf(resource: TaktSapResource): SapOperation[] {
  if (resource === 'anyEntitySet') return Object.keys(OPERATION_OPTIONS) as SapOperation[];
  const preset = SAP_ENTITY_PRESETS.find((entity) => entity.name === SAP_RESOURCES[resource].entity);
  const can = preset?.capabilities ?? {};
  const operations: SapOperation[] = ['get', 'getMany'];
  if (can.create) operations.push('create');
  if (can.update) operations.push('update');
  if (can.create && can.update) operations.push('createOrUpdate');
  if (can.delete) operations.push('delete');
  return operations;
}

const resources: TaktSapResource[] = [...(Object.keys(SAP_RESOURCES) as PresetResource[]), 'anyEntitySet'];

const resourceProperty: INodeProperties = {
  displayName: 'Resource',
  name: 'resource',
  type: 'options',
  noDataExpression: true,
  options: [
    ...(Object.entries(SAP_RESOURCES) as [PresetResource, (typeof SAP_RESOURCES)[PresetResource]][]).map(
      ([value, { name, entity }]) => ({
        name,
        value,
        description: SAP_ENTITY_PRESETS.find((preset) => preset.name === entity)?.title ?? entity,
      }),
    ),
    { name: 'Any Entity Set', value: 'anyEntitySet', description: 'A service and entity set you name' },
  ],
  default: 'productionOrder',
};

const operationProperties: INodeProperties[] = resources.map((resource) => ({
  displayName: 'Operation',
  name: 'operation',
  type: 'options',
  noDataExpression: true,
  displayOptions: { show: { resource: [resource] } },
  options: operationsOf(resource).map((operation) => OPERATION_OPTIONS[operation]),
  default: 'getMany',
}));

const anyEntitySetProperties: INodeProperties[] = [
  {
    displayName: 'Service',
    name: 'service',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'ZPP_SHOPFLOOR_SRV',
    displayOptions: { show: { resource: ['anyEntitySet'] } },
    description:
      'The OData service name; its root is /sap/opu/odata/sap/<Service> unless the credential’s Service Paths say otherwise',
  },
  {
    displayName: 'Entity Set',
    name: 'entitySet',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'ShopFloorEventSet',
    displayOptions: { show: { resource: ['anyEntitySet'] } },
  },
  {
    displayName: 'Key Fields',
    name: 'keyFields',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'Plant, EventId',
    displayOptions: { show: { resource: ['anyEntitySet'] } },
    description: 'The entity set’s key properties, comma-separated, in key order',
  },
  {
    displayName: 'Change Timestamp Field',
    name: 'deltaField',
    type: 'string',
    default: '',
    placeholder: 'LastChangeDateTime',
    displayOptions: { show: { resource: ['anyEntitySet'], operation: ['getMany'] } },
    description: 'A property that grows when a record changes; needed for Changed Since',
  },
  {
    displayName: 'Change Timestamp Type',
    name: 'deltaFieldType',
    type: 'options',
    options: [
      { name: 'Edm.DateTimeOffset', value: 'datetimeoffset' },
      { name: 'Edm.DateTime (V2 Date)', value: 'datetime' },
      { name: 'Text YYYYMMDDhhmmss', value: 'timestamp14' },
    ],
    default: 'datetimeoffset',
    displayOptions: { show: { resource: ['anyEntitySet'], operation: ['getMany'] } },
    description: 'How SAP types the change timestamp, so Changed Since is sent as the literal it expects',
  },
];

const optionsProperty: INodeProperties = {
  displayName: 'Options',
  name: 'options',
  type: 'collection',
  placeholder: 'Add Option',
  default: {},
  options: [
    {
      displayName: 'Batch Size',
      name: 'batchSize',
      type: 'number',
      typeOptions: { minValue: 1, maxValue: 1000 },
      default: 100,
      description: 'Writes per $batch request; 1 sends each record on its own',
      displayOptions: { show: { '/operation': ['create', 'update', 'createOrUpdate', 'delete'] } },
    },
    {
      displayName: 'SAP Client',
      name: 'sapClient',
      type: 'string',
      default: '',
      placeholder: '100',
      description: 'Overrides the credential’s sap-client for this node (three digits)',
    },
  ],
};

/** The node's parameters: authentication, resource, operation per resource, then each operation's own. */
export const sapProperties: INodeProperties[] = [
  sapAuthenticationProperty(),
  resourceProperty,
  ...operationProperties,
  ...anyEntitySetProperties,
  ...get.description,
  ...getMany.description,
  ...create.description,
  ...update.description,
  ...createOrUpdate.description,
  ...del.description,
  optionsProperty,
];
