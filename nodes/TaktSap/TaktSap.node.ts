import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { credentialTests } from '../shared/credential-tests';
import { router } from './actions/router';
import { versionDescription } from './actions/versionDescription';

/**
 * SAP (Takt): reads and writes SAP manufacturing entities, and any entity set the user names, through the
 * runtime's SAP connector (OData V2 / V4, CSRF, `$batch`, retries with Retry-After). A thin shell: the
 * description lives in actions/versionDescription.ts, each operation in actions/operations/.
 */
export class TaktSap implements INodeType {
  description: INodeTypeDescription = versionDescription;

  methods = { credentialTest: credentialTests };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return router.call(this);
  }
}
