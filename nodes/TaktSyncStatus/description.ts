import type { INodeProperties } from 'n8n-workflow';

/** Takt Sync Status's parameters: the view, the connection name, and the filters each view honours. */
export const syncStatusProperties: INodeProperties[] = [
  {
    displayName: 'View',
    name: 'view',
    type: 'options',
    noDataExpression: true,
    options: [
      {
        name: 'Failed Records',
        value: 'failed-records',
        description: 'Per-record errors of a job, or of the newest failed jobs of the connection',
        action: 'List failed records',
      },
      {
        name: 'Jobs',
        value: 'jobs',
        description: 'The sync job log, newest first, with counts, progress and duration',
        action: 'List sync jobs',
      },
      {
        name: 'Stale Jobs',
        value: 'stale-jobs',
        description: 'Mark jobs whose worker stopped reporting as failed, and list them',
        action: 'Mark and list stale jobs',
      },
      {
        name: 'Statistics',
        value: 'statistics',
        description: 'Records synced per entity, the last full and incremental sync, recent failures',
        action: 'Get connection statistics',
      },
      {
        name: 'Summary',
        value: 'summary',
        description: 'One item: ok / warning / error / idle and a one-line text for a report or alert',
        action: 'Summarize a connection',
      },
    ],
    default: 'summary',
  },
  {
    displayName: 'Connection Name',
    name: 'connectionName',
    type: 'string',
    default: 'sap',
    placeholder: 'sap',
    description:
      'The Connection Name of the credential whose syncs to show ("sap" and "mes" by default). Leave empty for every connection (Jobs, Failed Records).',
  },
  {
    displayName: 'Options',
    name: 'options',
    type: 'collection',
    placeholder: 'Add option',
    default: {},
    options: [
      {
        displayName: 'Entity',
        name: 'entity',
        type: 'string',
        default: '',
        placeholder: 'production-orders',
        description: 'Only this entity (Jobs, Statistics, Failed Records)',
      },
      {
        displayName: 'Job ID',
        name: 'jobId',
        type: 'string',
        default: '',
        description: 'One job (Jobs) or its failed records (Failed Records)',
      },
      {
        displayName: 'Job Status',
        name: 'status',
        type: 'options',
        options: [
          { name: 'Any', value: '' },
          { name: 'Cancelled', value: 'cancelled' },
          { name: 'Failed', value: 'failed' },
          { name: 'In Progress', value: 'in_progress' },
          { name: 'Pending', value: 'pending' },
          { name: 'Skipped', value: 'skipped' },
          { name: 'Success', value: 'success' },
        ],
        default: '',
        description: 'Only jobs in this status (Jobs)',
      },
      {
        displayName: 'Limit',
        name: 'limit',
        type: 'number',
        typeOptions: { minValue: 1, maxValue: 1000 },
        default: 50,
        description: 'Max number of results to return',
      },
      {
        displayName: 'Stale After (Minutes)',
        name: 'staleAfterMinutes',
        type: 'number',
        typeOptions: { minValue: 1 },
        default: 120,
        description: 'A running job silent this long counts as stale (Stale Jobs, Summary)',
      },
    ],
  },
];
