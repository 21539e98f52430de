import {
  CONFLICT_STRATEGIES,
  DEFAULT_UPSERT_BATCH_SIZE,
  MAX_UPSERT_BATCH_SIZE,
  SAP_ENTITY_PRESETS,
} from '@takt/runtime';
import type { INodeProperties } from 'n8n-workflow';

import { connectionSystemProperty, sapAuthenticationProperty } from '../shared/descriptions';

/** The value of an entity dropdown that lets the user type the entity instead. */
export const CUSTOM_ENTITY = '__custom';

/** The MES sync API's entities, parents before children. */
const MES_ENTITIES = [
  { name: 'Jobs (With Parts and Operations)', value: 'jobs' },
  { name: 'Parts (With Operations)', value: 'parts' },
  { name: 'Operations', value: 'operations' },
  { name: 'Cells', value: 'cells' },
  { name: 'Resources', value: 'resources' },
];

const STRATEGY_TEXT: Record<(typeof CONFLICT_STRATEGIES)[number], { name: string; description: string }> = {
  source_wins: { name: 'Source Wins', description: 'Write the incoming record (no read of the target)' },
  target_wins: { name: 'Target Wins', description: 'Keep what someone changed in the target; report skipped' },
  newest_wins: { name: 'Newest Wins', description: 'Compare modified times; the newer record wins' },
  merge: { name: 'Merge', description: 'Write the fields only the source changed; report fields both changed' },
  manual: { name: 'Manual', description: 'Write nothing where both changed; report a conflict until resolved' },
};

const sap = { system: ['sap'] };
const mes = { system: ['mes'] };

/** Takt Upsert Sync's parameters: the target (system and entity), the key, the conflict strategy and batching. */
export const upsertProperties: INodeProperties[] = [
  connectionSystemProperty,
  sapAuthenticationProperty(sap),
  {
    displayName: 'Entity',
    name: 'sapEntity',
    type: 'options',
    noDataExpression: true,
    options: [
      ...SAP_ENTITY_PRESETS.map((entity) => ({ name: entity.title ?? entity.name, value: entity.name })),
      { name: 'Any Entity Set', value: CUSTOM_ENTITY, description: 'An entity set of any OData service' },
    ],
    default: 'confirmations',
    displayOptions: { show: sap },
  },
  {
    displayName: 'Service',
    name: 'sapService',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'ZPP_ORDER_SRV',
    description: "The OData service's name (its path comes from the credential's Service Paths, else the default)",
    displayOptions: { show: { ...sap, sapEntity: [CUSTOM_ENTITY] } },
  },
  {
    displayName: 'Entity Set',
    name: 'sapEntitySet',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'OrderSet',
    displayOptions: { show: { ...sap, sapEntity: [CUSTOM_ENTITY] } },
  },
  {
    displayName: 'Entity Key Properties',
    name: 'sapEntityKeys',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'OrderID',
    description: "The entity set's key properties, separated by commas",
    displayOptions: { show: { ...sap, sapEntity: [CUSTOM_ENTITY] } },
  },
  {
    displayName: 'Entity',
    name: 'mesEntity',
    type: 'options',
    noDataExpression: true,
    options: [...MES_ENTITIES, { name: 'Other Entity', value: CUSTOM_ENTITY }],
    default: 'jobs',
    displayOptions: { show: mes },
  },
  {
    displayName: 'Entity Name',
    name: 'mesCustomEntity',
    type: 'string',
    default: '',
    required: true,
    description: "An entity of the credential's custom profile",
    displayOptions: { show: { ...mes, mesEntity: [CUSTOM_ENTITY] } },
  },
  {
    displayName: 'Key Fields',
    name: 'keyFields',
    type: 'string',
    default: '',
    placeholder: 'external_source, external_id',
    description: 'The fields that identify a record, separated by commas; empty means external_source and external_id',
  },
  {
    displayName: 'Key Source',
    name: 'keySource',
    type: 'string',
    default: '',
    placeholder: 'sap-prd-100',
    description: 'For custom key fields: the namespace the ID map keeps their keys under (the source system)',
    displayOptions: { hide: { keyFields: [''] } },
  },
  {
    displayName: 'Conflict Strategy',
    name: 'strategy',
    type: 'options',
    options: CONFLICT_STRATEGIES.map((value) => ({ ...STRATEGY_TEXT[value], value })),
    default: 'source_wins',
    description: 'What happens when the record changed in the target too since Takt last wrote it',
  },
  {
    displayName: 'Batch Size',
    name: 'batchSize',
    type: 'number',
    typeOptions: { minValue: 1, maxValue: MAX_UPSERT_BATCH_SIZE },
    default: DEFAULT_UPSERT_BATCH_SIZE,
    description: 'Records per call to the target',
  },
  {
    displayName: 'Separate Outputs',
    name: 'separateOutputs',
    type: 'boolean',
    default: false,
    description: 'Whether conflicts and errors go to outputs of their own instead of failing the node',
  },
];
