import {
  NodeHelpers,
  type IDataObject,
  type IExecuteFunctions,
  type INodeType,
  type INodeTypes,
  type IVersionedNodeType,
} from 'n8n-workflow';

/** The npm package the Takt nodes ship in: workflow JSON addresses them as `n8n-nodes-takt.<description.name>`. */
export const TAKT_PACKAGE = 'n8n-nodes-takt';

/** n8n's prefix for nodes loaded from N8N_CUSTOM_EXTENSIONS; the harness resolves it like the package prefix. */
const CUSTOM_PREFIX = 'CUSTOM.';

export type AnyNodeType = INodeType | IVersionedNodeType;

/**
 * The node types a harness workflow may use, keyed by the type string of workflow JSON. Takt's nodes register under
 * `n8n-nodes-takt.<name>` (and answer to `CUSTOM.<name>` too, the address a custom-extensions install gives them);
 * anything else registers under the full type it is given, e.g. the stand-ins for n8n's Manual Trigger.
 */
export class HarnessNodeTypes implements INodeTypes {
  private readonly types = new Map<string, AnyNodeType>();

  constructor(taktNodes: readonly AnyNodeType[] = [], others: Readonly<Record<string, AnyNodeType>> = {}) {
    for (const nodeType of taktNodes) this.addTakt(nodeType);
    for (const [type, nodeType] of Object.entries(others)) this.add(type, nodeType);
  }

  /** Registers a Takt node under `n8n-nodes-takt.<description.name>`. */
  addTakt(nodeType: AnyNodeType): this {
    return this.add(`${TAKT_PACKAGE}.${nodeType.description.name}`, nodeType);
  }

  add(type: string, nodeType: AnyNodeType): this {
    if (this.types.has(type)) throw new Error(`node type "${type}" is registered twice`);
    this.types.set(type, nodeType);
    return this;
  }

  /** Every registered type string, sorted. */
  typeNames(): string[] {
    return [...this.types.keys()].sort();
  }

  getByName(type: string): AnyNodeType {
    const nodeType = this.types.get(this.canonical(type));
    if (nodeType === undefined) {
      throw new Error(`unknown node type "${type}"; the harness knows: ${this.typeNames().join(', ')}`);
    }
    return nodeType;
  }

  getByNameAndVersion(type: string, version?: number): INodeType {
    return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
  }

  getKnownTypes(): IDataObject {
    return Object.fromEntries(this.typeNames().map((type) => [type, { className: type, sourcePath: '' }]));
  }

  private canonical(type: string): string {
    return type.startsWith(CUSTOM_PREFIX) ? `${TAKT_PACKAGE}.${type.slice(CUSTOM_PREFIX.length)}` : type;
  }
}

/**
 * A view of a node-type registry that records what each node's `execute()` threw, by node name. The engine stores a
 * failed node's error in the run data as a plain copy; tests need the thrown instance to check its class
 * (`NodeApiError` / `NodeOperationError`), `context.itemIndex` and `httpCode`.
 */
export class RecordingNodeTypes implements INodeTypes {
  readonly thrown = new Map<string, unknown>();

  constructor(private readonly inner: INodeTypes) {}

  getByName(type: string): AnyNodeType {
    return this.inner.getByName(type);
  }

  getByNameAndVersion(type: string, version?: number): INodeType {
    const nodeType = this.inner.getByNameAndVersion(type, version);
    const execute = nodeType.execute;
    if (execute === undefined) return nodeType;
    const thrown = this.thrown;
    // A prototype-linked copy: the description, methods and every other hook stay the node's own.
    const recording = Object.create(nodeType) as INodeType;
    recording.execute = async function (this: IExecuteFunctions, ...args: Parameters<typeof execute>) {
      try {
        return await execute.apply(this, args);
      } catch (error) {
        thrown.set(this.getNode().name, error);
        throw error;
      }
    };
    return recording;
  }

  getKnownTypes(): IDataObject {
    return this.inner.getKnownTypes();
  }
}
