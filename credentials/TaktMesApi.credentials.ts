import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A shop-floor REST target (MES): the MES sync-API profile (upsert by external id, bulk sync, X-RateLimit
 * headers) or a custom profile given as JSON. Tested by `taktMesConnectionTest`, which calls the connector's
 * `test()`.
 */
export class TaktMesApi implements ICredentialType {
  name = 'taktMesApi';

  displayName = 'Shop-Floor REST (Takt) API';

  icon = { light: 'file:../nodes/icons/takt.svg', dark: 'file:../nodes/icons/takt.dark.svg' } as const;

  properties: INodeProperties[] = [
    {
      displayName: 'Connection Name',
      name: 'connectionName',
      type: 'string',
      default: 'mes',
      required: true,
      description:
        'Names this system in Takt’s state (id map, jobs). Workflows using the same name share them; keep it stable once data has synced.',
    },
    {
      displayName: 'Base URL',
      name: 'baseUrl',
      type: 'string',
      default: '',
      required: true,
      placeholder: 'https://mes.example.com/api/v1',
      description: 'The API root the entity paths are appended to',
    },
    {
      displayName: 'Profile',
      name: 'profile',
      type: 'options',
      options: [
        {
          name: 'MES Sync API',
          value: 'mes-sync-api',
          description:
            'PUT /api-<entity>/sync and POST /api-<entity>/bulk-sync, keyed by external_id and external_source',
        },
        { name: 'Custom', value: 'custom', description: 'Paths, keys and result fields given as JSON' },
      ],
      default: 'mes-sync-api',
    },
    {
      displayName: 'Custom Profile (JSON)',
      name: 'customProfile',
      type: 'json',
      default: '',
      required: true,
      displayOptions: { show: { profile: ['custom'] } },
      description:
        'Entities (name, keyFields, single / bulk endpoints) and result paths (single, bulk, action, id, error, rejection)',
    },
    {
      displayName: 'Nested Records',
      name: 'nesting',
      type: 'options',
      options: [
        { name: 'Inline (One Call per Job)', value: 'inline' },
        { name: 'Split (Parents First, Then Children)', value: 'split' },
      ],
      default: 'inline',
      displayOptions: { show: { profile: ['mes-sync-api'] } },
      description: 'How a job’s parts and a part’s operations travel',
    },
    {
      displayName: 'Authentication',
      name: 'authentication',
      type: 'options',
      options: [
        { name: 'None', value: 'none' },
        { name: 'API Key', value: 'apiKey' },
        { name: 'Bearer Token', value: 'bearer' },
        { name: 'Basic Auth', value: 'basic' },
      ],
      default: 'apiKey',
    },
    {
      displayName: 'API Key',
      name: 'apiKey',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      required: true,
      displayOptions: { show: { authentication: ['apiKey'] } },
    },
    {
      displayName: 'Header Name',
      name: 'keyHeaderName',
      type: 'string',
      default: '',
      placeholder: 'X-API-Key',
      displayOptions: { show: { authentication: ['apiKey'] } },
      description: 'Header carrying the key; empty sends it as Authorization: Bearer, as the MES sync API expects',
    },
    {
      displayName: 'Bearer Token',
      name: 'bearerToken',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      required: true,
      displayOptions: { show: { authentication: ['bearer'] } },
    },
    {
      displayName: 'User',
      name: 'user',
      type: 'string',
      default: '',
      required: true,
      displayOptions: { show: { authentication: ['basic'] } },
    },
    {
      displayName: 'Password',
      name: 'password',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      required: true,
      displayOptions: { show: { authentication: ['basic'] } },
    },
  ];
}
