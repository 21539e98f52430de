import {
  NodeConnectionTypes,
  type IExecuteFunctions,
  type INodeExecutionData,
  type INodeType,
  type INodeTypeDescription,
} from 'n8n-workflow';

import type { AnyNodeType } from './node-types';

/**
 * Stand-ins for the n8n-nodes-base nodes a Takt workflow uses around Takt's own nodes. The harness installs only
 * n8n-core and n8n-workflow (nodes-base is most of n8n and is proven by the real-host tests), so these repeat what
 * the real nodes do for a test: the Manual Trigger emits one empty item, No Op passes its input on, a Sticky Note
 * is never executed.
 */
function describe(name: string, displayName: string, description: Partial<INodeTypeDescription>): INodeTypeDescription {
  return {
    displayName,
    name,
    group: ['transform'],
    version: 1,
    description: `Harness stand-in for n8n's ${displayName}`,
    defaults: { name: displayName },
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    properties: [],
    ...description,
  };
}

export class ManualTriggerStandIn implements INodeType {
  description = describe('manualTrigger', 'Manual Trigger', { group: ['trigger'], inputs: [] });

  async execute(): Promise<INodeExecutionData[][]> {
    return [[{ json: {} }]];
  }
}

export class NoOpStandIn implements INodeType {
  description = describe('noOp', 'No Operation, do nothing', {});

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return [this.getInputData()];
  }
}

export class StickyNoteStandIn implements INodeType {
  description = describe('stickyNote', 'Sticky Note', {
    inputs: [],
    outputs: [],
    properties: [
      { displayName: 'Content', name: 'content', type: 'string', default: '' },
      { displayName: 'Height', name: 'height', type: 'number', default: 160 },
      { displayName: 'Width', name: 'width', type: 'number', default: 240 },
      { displayName: 'Color', name: 'color', type: 'number', default: 1 },
    ],
  });
}

/** The stand-ins by the type string n8n's workflow JSON gives the real nodes. */
export function standInNodeTypes(): Record<string, AnyNodeType> {
  return {
    'n8n-nodes-base.manualTrigger': new ManualTriggerStandIn(),
    'n8n-nodes-base.noOp': new NoOpStandIn(),
    'n8n-nodes-base.stickyNote': new StickyNoteStandIn(),
  };
}
