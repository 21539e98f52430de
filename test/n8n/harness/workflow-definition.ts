import type { IConnections, IDataObject, INode, INodeExecutionData, IWorkflowSettings } from 'n8n-workflow';

/** A workflow as n8n exports it (the parts the engine runs): nodes, connections, settings, static data. */
export interface WorkflowDefinition {
  id?: string;
  name?: string;
  nodes: INode[];
  connections: IConnections;
  settings?: IWorkflowSettings;
  /** Kept across runs when the same object is passed again (a poll trigger's or webhook's node static data). */
  staticData?: IDataObject;
}

/** Items from plain records: `jsonItems([{ a: 1 }])` → `[{ json: { a: 1 } }]`. */
export function jsonItems(records: readonly IDataObject[]): INodeExecutionData[] {
  return records.map((json) => ({ json }));
}

/** One node of a workflow with the defaults an exported workflow carries (id, position, typeVersion 1). */
export function workflowNode(node: Pick<INode, 'name' | 'type'> & Partial<INode>): INode {
  return { id: node.name, typeVersion: 1, position: [0, 0], parameters: {}, ...node };
}

/** Connections of a linear chain `a → b → c` on the main output 0. */
export function chain(...names: string[]): IConnections {
  const connections: IConnections = {};
  for (let index = 0; index + 1 < names.length; index++) {
    const from = names[index]!;
    const to = names[index + 1]!;
    connections[from] = { main: [[{ node: to, type: 'main', index: 0 }]] };
  }
  return connections;
}
