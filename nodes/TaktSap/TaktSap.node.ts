import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { credentialTests } from '../shared/credential-tests';
import { sapProperties } from './actions/description';
import { router } from './actions/router';

/**
 * SAP (Takt): reads and writes SAP manufacturing entities, and any entity set the user names, through the
 * runtime's SAP connector (OData V2 / V4, CSRF, `$batch`, retries with Retry-After). A thin shell: the
 * parameters live in actions/description.ts, each operation in actions/operations/, dispatch in actions/router.ts.
 */
export class TaktSap implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'SAP (Takt)',
    name: 'taktSap',
    icon: { light: 'file:../icons/takt-sap.svg', dark: 'file:../icons/takt-sap.dark.svg' },
    group: ['transform'],
    version: 1,
    subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
    description: 'Read and write SAP production orders, confirmations, equipment, work centers and notifications',
    defaults: { name: 'SAP (Takt)' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    credentials: [
      {
        name: 'taktSapApi',
        required: true,
        testedBy: 'taktSapConnectionTest',
        displayOptions: { show: { authentication: ['basic'] } },
      },
      {
        name: 'taktSapOAuth2Api',
        required: true,
        testedBy: 'taktSapConnectionTest',
        displayOptions: { show: { authentication: ['oAuth2'] } },
      },
    ],
    properties: sapProperties,
  };

  methods = { credentialTest: credentialTests };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return router.call(this);
  }
}
