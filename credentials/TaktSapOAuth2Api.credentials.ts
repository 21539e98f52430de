import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { sapConnectionNameField, sapSystemFields } from './sap-fields';

/**
 * SAP with OAuth 2.0 client credentials (SAP BTP / S/4HANA Cloud communication arrangements). A plain
 * credential rather than n8n's oAuth2Api: the runtime fetches, caches and renews the token and keeps it apart
 * from the CSRF session, which n8n's OAuth2 flow would not. Tested by the SAP node's `taktSapConnectionTest`.
 */
export class TaktSapOAuth2Api implements ICredentialType {
  name = 'taktSapOAuth2Api';

  displayName = 'SAP (Takt) OAuth2 Client Credentials API';

  icon = { light: 'file:../nodes/icons/takt-sap.svg', dark: 'file:../nodes/icons/takt-sap.dark.svg' } as const;

  properties: INodeProperties[] = [
    sapConnectionNameField,
    ...sapSystemFields.slice(0, 1),
    {
      displayName: 'Token URL',
      name: 'tokenUrl',
      type: 'string',
      default: '',
      required: true,
      placeholder: 'https://<subdomain>.authentication.eu10.hana.ondemand.com/oauth/token',
    },
    {
      displayName: 'Client ID',
      name: 'clientId',
      type: 'string',
      default: '',
      required: true,
    },
    {
      displayName: 'Client Secret',
      name: 'clientSecret',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      required: true,
    },
    {
      displayName: 'Scope',
      name: 'scope',
      type: 'string',
      default: '',
      description: 'Space-separated scopes, when the token endpoint needs them',
    },
    ...sapSystemFields.slice(1),
  ];
}
