import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { sapConnectionNameField, sapSystemFields } from './sap-fields';

/**
 * SAP with a user and password (HTTP Basic). The runtime adds sap-client, the CSRF handshake and session
 * cookies, so the credential has no `authenticate` block; its test is the SAP node's `taktSapConnectionTest`,
 * which calls the connector's `test()` (service document with a CSRF fetch).
 */
export class TaktSapApi implements ICredentialType {
  name = 'taktSapApi';

  displayName = 'SAP (Takt) Basic Auth API';

  icon = { light: 'file:../nodes/icons/takt-sap.svg', dark: 'file:../nodes/icons/takt-sap.dark.svg' } as const;

  properties: INodeProperties[] = [
    sapConnectionNameField,
    ...sapSystemFields.slice(0, 1),
    {
      displayName: 'User',
      name: 'user',
      type: 'string',
      default: '',
      required: true,
    },
    {
      displayName: 'Password',
      name: 'password',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      required: true,
    },
    ...sapSystemFields.slice(1),
  ];
}
