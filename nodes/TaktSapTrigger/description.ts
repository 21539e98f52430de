import { SAP_ENTITY_PRESETS } from '@takt/runtime';
import type { INodeProperties } from 'n8n-workflow';

import { sapAuthenticationProperty } from '../shared/descriptions';

const custom = { entity: ['custom'] };

/** The SAP Trigger's parameters: which entity to watch and how much one poll hands out. */
export const sapTriggerProperties: INodeProperties[] = [
  sapAuthenticationProperty(),
  {
    displayName: 'Entity',
    name: 'entity',
    type: 'options',
    noDataExpression: true,
    options: [
      ...SAP_ENTITY_PRESETS.filter((preset) => preset.deltaField !== undefined).map((preset) => ({
        name: preset.title ?? preset.name,
        value: preset.name,
      })),
      { name: 'Any Entity Set', value: 'custom', description: 'An entity set with a last-changed property' },
    ],
    default: 'production-orders',
    description: 'What to watch for new and changed records',
  },
  {
    displayName: 'Service',
    name: 'service',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'API_PRODUCTION_ORDER_2_SRV',
    displayOptions: { show: custom },
  },
  {
    displayName: 'Entity Set',
    name: 'entitySet',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'A_ProductionOrder_2',
    displayOptions: { show: custom },
  },
  {
    displayName: 'Key Fields',
    name: 'keyFields',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'ManufacturingOrder',
    displayOptions: { show: custom },
    description: 'Key properties of the entity set, comma-separated, in key order',
  },
  {
    displayName: 'Changed-At Field',
    name: 'deltaField',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'LastChangeDateTime',
    displayOptions: { show: custom },
    description: 'The Edm.DateTimeOffset property SAP updates on every change',
  },
  {
    displayName: 'Max Records per Poll',
    name: 'maxRecords',
    type: 'number',
    typeOptions: { minValue: 1, maxValue: 100000 },
    default: 500,
    description: 'Records one poll hands out at most; the rest follow on the next poll after these are acknowledged',
  },
  {
    displayName:
      'Acknowledge the items with a Takt Acknowledge node at the end of the workflow: until then nothing new is handed out, and after the acknowledgement time the same records are handed out again',
    name: 'ackNotice',
    type: 'notice',
    default: '',
  },
  {
    displayName: 'Options',
    name: 'options',
    type: 'collection',
    placeholder: 'Add option',
    default: {},
    options: [
      {
        displayName: 'Acknowledge Within (Seconds)',
        name: 'deliveryTtlSeconds',
        type: 'number',
        typeOptions: { minValue: 1 },
        default: 900,
        description: 'Unacknowledged records are handed out again after this long; make it longer than a workflow run',
      },
      {
        displayName: 'Full Resync',
        name: 'full',
        type: 'boolean',
        default: false,
        description:
          'Whether to read every record from the start (handing out only those whose content changed) instead of what changed since the last acknowledged poll',
      },
      {
        displayName: 'Page Size',
        name: 'pageSize',
        type: 'number',
        typeOptions: { minValue: 1, maxValue: 5000 },
        default: 500,
        description: 'Records per OData request',
      },
      {
        displayName: 'Source Name',
        name: 'source',
        type: 'string',
        default: '',
        placeholder: 'sap-prd-100',
        description: 'The system name change detection is kept under; default the connection name',
      },
    ],
  },
];
