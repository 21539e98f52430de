import type { INodeProperties } from 'n8n-workflow';

/**
 * Fields both SAP credentials share (Basic and OAuth2): where the system is, which client and language, which
 * OData version, TLS, and the Connection Name that keys Takt's state. Names match nodes/shared/credentials.ts.
 */
export const sapConnectionNameField: INodeProperties = {
  displayName: 'Connection Name',
  name: 'connectionName',
  type: 'string',
  default: 'sap',
  required: true,
  description:
    'Names this SAP system in Takt’s state (cursors, id map, jobs). Workflows using the same name share them; keep it stable once data has synced.',
};

export const sapSystemFields: INodeProperties[] = [
  {
    displayName: 'Base URL',
    name: 'baseUrl',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'https://s4.example.com:44300',
    description: 'Scheme, host and port of the SAP Gateway; service paths such as /sap/opu/odata/sap/… go below it',
  },
  {
    displayName: 'SAP Client',
    name: 'sapClient',
    type: 'string',
    default: '100',
    placeholder: '100',
    description: 'The three-digit client (sap-client) sent with every request; leave empty for the system default',
  },
  {
    displayName: 'Language',
    name: 'language',
    type: 'string',
    default: '',
    placeholder: 'EN',
    description: 'Two-letter logon language (sap-language) for texts and messages; empty for the user default',
  },
  {
    displayName: 'OData Version',
    name: 'odataVersion',
    type: 'options',
    options: [
      { name: 'V2 (API_*_SRV Services)', value: 'v2' },
      { name: 'V4 (RAP Bindings)', value: 'v4' },
    ],
    default: 'v2',
  },
  {
    displayName: 'Service Paths',
    name: 'services',
    type: 'string',
    typeOptions: { rows: 3 },
    default: '',
    placeholder: 'API_EQUIPMENT=/sap/opu/odata/sap/API_EQUIPMENT;v=0002',
    description:
      'One SERVICE=/path per line, for services whose root differs from /sap/opu/odata/sap/SERVICE (a version suffix, a V4 binding, a reverse proxy)',
  },
  {
    displayName: 'Ignore SSL Issues (Insecure)',
    name: 'allowUnauthorizedCerts',
    type: 'boolean',
    default: false,
    description: 'Whether to connect even if the certificate cannot be verified. For test systems only.',
  },
  {
    displayName: 'CA Certificates',
    name: 'ca',
    type: 'string',
    typeOptions: { rows: 4 },
    default: '',
    placeholder: '-----BEGIN CERTIFICATE-----',
    description: 'PEM certificates of a company CA to trust besides the public roots',
  },
];
