import { CANONICAL_ENTITIES } from '@takt/runtime';
import type { INodeProperties } from 'n8n-workflow';

/** The field types an override may use, as the mapping spec names them. */
const FIELD_TYPES = ['STRING', 'INTEGER', 'DECIMAL', 'BOOLEAN', 'DATE', 'DATETIME', 'ENUM', 'JSON'] as const;

const preset = { mappingSource: ['preset'] };
const jsonata = { mappingSource: ['jsonata'] };
const simulating = { mode: ['simulate'] };

/** Takt Map's parameters: what the mapping is, and (Simulate) what Upsert Sync target to predict against. */
export const mapProperties: INodeProperties[] = [
  {
    displayName: 'Mode',
    name: 'mode',
    type: 'options',
    noDataExpression: true,
    options: [
      { name: 'Apply', value: 'apply', description: 'Output the mapped records', action: 'Map records' },
      {
        name: 'Simulate',
        value: 'simulate',
        description: 'Output, per record, the mapped record, its issues and what Upsert Sync would do with it',
        action: 'Simulate a mapping',
      },
    ],
    default: 'apply',
  },
  {
    displayName: 'Direction',
    name: 'direction',
    type: 'options',
    noDataExpression: true,
    options: [
      { name: 'ERP → Canonical (Inbound)', value: 'inbound' },
      { name: 'Canonical → ERP (Outbound)', value: 'outbound' },
    ],
    default: 'inbound',
  },
  {
    displayName: 'Mapping Source',
    name: 'mappingSource',
    type: 'options',
    noDataExpression: true,
    options: [
      { name: 'Preset', value: 'preset', description: 'A ready mapping for an ERP entity, adapted by overrides' },
      { name: 'JSONata Expression', value: 'jsonata', description: 'One expression that returns the mapped record' },
    ],
    default: 'preset',
  },
  {
    displayName: 'Preset Name or ID',
    name: 'preset',
    type: 'options',
    typeOptions: { loadOptionsMethod: 'getPresets', loadOptionsDependsOn: ['direction'] },
    default: '',
    required: true,
    description:
      'The mapping to start from. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
    displayOptions: { show: preset },
  },
  {
    displayName: 'External Source',
    name: 'externalSource',
    type: 'string',
    default: '',
    placeholder: 'sap-prd-100',
    description:
      'Names the system the records come from; inbound records get it as external_source, which every canonical record needs',
    displayOptions: { show: { ...preset, direction: ['inbound'] } },
  },
  {
    displayName: 'Time Zone',
    name: 'timeZone',
    type: 'string',
    default: '',
    placeholder: 'Europe/Berlin',
    description: "The plant's time zone for ERP dates and times without an offset (default UTC)",
    displayOptions: { show: preset },
  },
  {
    displayName: 'Field Overrides',
    name: 'fieldOverrides',
    type: 'fixedCollection',
    typeOptions: { multipleValues: true },
    placeholder: 'Add Field Override',
    default: {},
    description: "Fields to map differently from the preset, or to add; each replaces the preset's field of that name",
    displayOptions: { show: preset },
    options: [
      {
        displayName: 'Field',
        name: 'field',
        values: [
          {
            displayName: 'Canonical Field',
            name: 'canonical',
            type: 'string',
            default: '',
            placeholder: 'description',
            description: 'The canonical field, as a dot path',
          },
          {
            displayName: 'ERP Property',
            name: 'erp',
            type: 'string',
            default: '',
            placeholder: 'OrderLongText',
            description: 'The ERP property, as a dot path (leave empty when a JSONata expression computes the value)',
          },
          {
            displayName: 'Type',
            name: 'type',
            type: 'options',
            options: FIELD_TYPES.map((type) => ({ name: type, value: type })),
            default: 'STRING',
          },
          {
            displayName: 'JSONata Expression',
            name: 'expression',
            type: 'string',
            default: '',
            description: 'Inbound only: computes the value from the whole ERP record instead of reading the property',
          },
          {
            displayName: 'Required',
            name: 'required',
            type: 'boolean',
            default: false,
            description: 'Whether a record without a value fails',
          },
        ],
      },
    ],
  },
  {
    displayName: 'Remove Fields',
    name: 'removeFields',
    type: 'string',
    default: '',
    placeholder: 'sales_order, production_version',
    description: 'Canonical fields of the preset to leave out, separated by commas',
    displayOptions: { show: preset },
  },
  {
    displayName: 'JSONata Expression',
    name: 'expression',
    type: 'string',
    typeOptions: { rows: 8 },
    default: '',
    placeholder: '{ "external_id": ManufacturingOrder, "external_source": "sap", "job_number": ManufacturingOrder }',
    description: 'Evaluated per record with the record as input; it must return one object, the mapped record',
    displayOptions: { show: jsonata },
  },
  {
    displayName: 'Canonical Entity',
    name: 'entity',
    type: 'options',
    options: [
      { name: 'None (Do Not Validate)', value: '' },
      ...Object.entries(CANONICAL_ENTITIES).map(([name, definition]) => ({
        name: definition.description,
        value: name,
      })),
    ],
    default: '',
    description: 'The canonical entity the records are checked against (inbound the output, outbound the input)',
    displayOptions: { show: jsonata },
  },
  {
    displayName: 'Connection Name',
    name: 'connectionName',
    type: 'string',
    default: 'mes',
    required: true,
    description: "The Connection Name of the Upsert Sync target's credential: its id map predicts the action",
    displayOptions: { show: simulating },
  },
  {
    displayName: 'Target Entity',
    name: 'targetEntity',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'jobs',
    description: 'The entity Upsert Sync writes the records to',
    displayOptions: { show: simulating },
  },
  {
    displayName: 'Key Fields',
    name: 'keyFields',
    type: 'string',
    default: '',
    placeholder: 'order_number',
    description: "Upsert Sync's key fields, separated by commas (default external_source and external_id)",
    displayOptions: { show: simulating },
  },
  {
    displayName: 'Key Source',
    name: 'keySource',
    type: 'string',
    default: '',
    description: "Upsert Sync's source for custom key fields: the id map's namespace",
    displayOptions: { show: simulating },
  },
];
