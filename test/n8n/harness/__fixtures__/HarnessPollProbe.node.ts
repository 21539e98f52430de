import {
  NodeConnectionTypes,
  type INodeExecutionData,
  type INodeType,
  type INodeTypeDescription,
  type IPollFunctions,
} from 'n8n-workflow';

/** A test-only polling trigger: emits `batch` numbered records past the cursor kept in node static data. */
export class HarnessPollProbe implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Harness Poll Probe',
    name: 'harnessPollProbe',
    group: ['trigger'],
    version: 1,
    description: 'Counts upwards',
    defaults: { name: 'Harness Poll Probe' },
    polling: true,
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    properties: [
      { displayName: 'Batch', name: 'batch', type: 'number', default: 2 },
      { displayName: 'Stop After', name: 'stopAfter', type: 'number', default: 3 },
    ],
  };

  async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
    const batch = this.getNodeParameter('batch') as number;
    const stopAfter = this.getNodeParameter('stopAfter') as number;
    const data = this.getWorkflowStaticData('node');
    const cursor = typeof data['cursor'] === 'number' ? data['cursor'] : 0;
    const next = Math.min(cursor + batch, stopAfter);
    if (next === cursor) return null;
    data['cursor'] = next;
    const items: INodeExecutionData[] = [];
    for (let n = cursor + 1; n <= next; n++)
      items.push({ json: { n, mode: this.getMode(), activation: this.getActivationMode() } });
    return [items];
  }
}
