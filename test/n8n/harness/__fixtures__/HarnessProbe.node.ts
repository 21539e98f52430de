import {
  NodeApiError,
  NodeConnectionTypes,
  NodeOperationError,
  type IExecuteFunctions,
  type INodeExecutionData,
  type INodeType,
  type INodeTypeDescription,
} from 'n8n-workflow';

/**
 * A test-only node with the habits the harness must reproduce: a per-item parameter (expressions allowed), an
 * optional credential, Continue On Fail, NodeOperationError / NodeApiError with itemIndex, pairedItem.
 * Items with `fail: 'input'` raise an operation error, `fail: 'remote'` an API error with HTTP 503.
 */
export class HarnessProbe implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Harness Probe',
    name: 'harnessProbe',
    group: ['transform'],
    version: 1,
    description: 'Echoes items with a suffix',
    defaults: { name: 'Harness Probe' },
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: 'harnessProbeApi', required: false }],
    properties: [{ displayName: 'Suffix', name: 'suffix', type: 'string', default: '' }],
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const items = this.getInputData();
    const out: INodeExecutionData[] = [];
    let account = 'none';
    try {
      const credentials = await this.getCredentials<{ account: string }>('harnessProbeApi');
      account = credentials.account;
    } catch {
      account = 'none';
    }
    for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
      const item = items[itemIndex]!;
      try {
        const suffix = this.getNodeParameter('suffix', itemIndex) as string;
        if (item.json['fail'] === 'input') {
          throw new NodeOperationError(this.getNode(), `item ${itemIndex} asked to fail`, { itemIndex });
        }
        if (item.json['fail'] === 'remote') {
          throw new NodeApiError(this.getNode(), { message: 'unavailable' }, { itemIndex, httpCode: '503' });
        }
        out.push({
          json: { value: `${String(item.json['value'])}${suffix}`, account },
          pairedItem: { item: itemIndex },
        });
      } catch (error) {
        if (!this.continueOnFail()) throw error;
        const message = error instanceof Error ? error.message : String(error);
        out.push({ json: { error: { message } }, pairedItem: { item: itemIndex } });
      }
    }
    return [out];
  }
}
