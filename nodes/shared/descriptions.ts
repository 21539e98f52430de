import type { ICredentialsDisplayOptions, INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import { MES_CREDENTIAL, SAP_BASIC_TYPE, SAP_CLIENT_CREDENTIALS_TYPE, STORE_CREDENTIAL } from './credentials';

/**
 * Description snippets every Takt node shares, so a credential or selector reads and behaves the same on each
 * node. The credential tests named here are `credentialTests` (credential-tests.ts): add it to a node's
 * `methods.credentialTest` wherever its credentials are listed.
 */

export const SAP_CONNECTION_TEST = 'taktSapConnectionTest';
export const MES_CONNECTION_TEST = 'taktMesConnectionTest';
export const STORE_CONNECTION_TEST = 'taktStateStoreTest';

/** Optional: without it the node keeps state in `takt-state.sqlite` in the n8n user folder. */
export const stateStoreCredential: INodeCredentialDescription = {
  name: STORE_CREDENTIAL,
  required: false,
  testedBy: STORE_CONNECTION_TEST,
};

/**
 * The two SAP credentials, each shown for its `authentication` value. `show` adds conditions, for a node where
 * SAP is one of several systems (`{ system: ['sap'] }`).
 */
export function sapCredentials(show: ICredentialsDisplayOptions['show'] = {}): INodeCredentialDescription[] {
  return [
    {
      name: SAP_BASIC_TYPE,
      required: true,
      testedBy: SAP_CONNECTION_TEST,
      displayOptions: { show: { ...show, authentication: ['basic'] } },
    },
    {
      name: SAP_CLIENT_CREDENTIALS_TYPE,
      required: true,
      testedBy: SAP_CONNECTION_TEST,
      displayOptions: { show: { ...show, authentication: ['oAuth2'] } },
    },
  ];
}

/** The shop-floor REST credential (see sapCredentials for `show`). */
export function mesCredential(show?: ICredentialsDisplayOptions['show']): INodeCredentialDescription {
  return {
    name: MES_CREDENTIAL,
    required: true,
    testedBy: MES_CONNECTION_TEST,
    ...(show ? { displayOptions: { show } } : {}),
  };
}

/** Selects the SAP credential: Basic (user and password) or OAuth 2.0 client credentials. */
export function sapAuthenticationProperty(show?: Record<string, string[]>): INodeProperties {
  return {
    displayName: 'Authentication',
    name: 'authentication',
    type: 'options',
    options: [
      { name: 'Basic Auth', value: 'basic' },
      { name: 'OAuth2 (Client Credentials)', value: 'oAuth2' },
    ],
    default: 'basic',
    ...(show ? { displayOptions: { show } } : {}),
  };
}

/** Chooses the system a node talks to, for nodes that serve both (Upsert Sync's target). */
export const connectionSystemProperty: INodeProperties = {
  displayName: 'System',
  name: 'system',
  type: 'options',
  noDataExpression: true,
  options: [
    { name: 'SAP', value: 'sap', description: 'An SAP S/4HANA or ECC system through OData' },
    { name: 'Shop-Floor REST (MES)', value: 'mes', description: 'An MES or shop-floor REST API' },
  ],
  default: 'sap',
};
