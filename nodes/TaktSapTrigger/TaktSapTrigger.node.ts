import { hostname } from 'node:os';

import { customEntity, pollOnce, TaktError, withItemMeta, type SapEntityConfig } from '@takt/runtime';
import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { credentialTests } from '../shared/credential-tests';
import { sapCredentials, stateStoreCredential } from '../shared/descriptions';
import { toNodeError } from '../shared/errors';
import { withSapConnector, withStore } from '../shared/resources';
import { sapTriggerProperties } from './description';

/**
 * SAP Trigger (Takt): each poll reads what changed in one SAP entity since the cursor Takt keeps in its state
 * store (not in n8n's static data, which n8n saves before the workflow runs and so loses items on a crash) and
 * hands it out as one delivery: every item carries `_takt.token`, which a Takt Acknowledge node commits. Until
 * then the stream hands out nothing new; an unacknowledged delivery is handed out again after it expires. The
 * "Fetch Test Event" button polls the same way: what it fetches is a real delivery, handed out again unless
 * acknowledged. The pulling is the runtime's (node-ops/poll.ts).
 */
export class TaktSapTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'SAP Trigger (Takt)',
    name: 'taktSapTrigger',
    icon: { light: 'file:../icons/takt.svg', dark: 'file:../icons/takt.dark.svg' },
    group: ['trigger'],
    version: 1,
    subtitle: '={{ $parameter["entity"] }}',
    description: 'Starts the workflow with new and changed SAP records, acknowledged by Takt Acknowledge',
    defaults: { name: 'SAP Trigger (Takt)' },
    polling: true,
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    credentials: [...sapCredentials(), stateStoreCredential],
    properties: sapTriggerProperties,
  };

  methods = { credentialTest: credentialTests };

  async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
    const entity = this.getNodeParameter('entity') as string;
    const options = this.getNodeParameter('options', {}) as IDataObject;
    const owner = `n8n-${hostname()}-${process.pid}:${this.getWorkflow().id ?? 'unsaved'}/${this.getNode().id}`;
    try {
      const custom = entity === 'custom' ? [customEntityOf(this)] : [];
      const outcome = await withStore(this, (store) =>
        withSapConnector(
          this,
          (connector, connection) =>
            pollOnce({
              store,
              connector,
              connection,
              entity: custom[0]?.name ?? entity,
              mode: options.full === true ? 'full' : 'incremental',
              maxRecords: Number(this.getNodeParameter('maxRecords', 500)),
              owner,
              ...(typeof options.source === 'string' && options.source.trim() !== ''
                ? { source: options.source.trim() }
                : {}),
              ...(typeof options.deliveryTtlSeconds === 'number'
                ? { deliveryTtlMs: options.deliveryTtlSeconds * 1000 }
                : {}),
              ...(typeof options.pageSize === 'number' ? { pageSize: options.pageSize } : {}),
            }),
          custom,
        ),
      );
      if (outcome.items.length === 0) {
        // "Fetch Test Event" in the editor says why nothing came, when something blocks the stream.
        if (this.getMode() === 'manual' && outcome.status !== 'nothing_new') {
          throw new TaktError('LEASE_HELD', outcome.message, { retryable: true });
        }
        this.logger.debug(`SAP Trigger (Takt): ${outcome.message}`);
        return null;
      }
      return [outcome.items.map((item) => ({ json: withItemMeta({ ...item.json }, item.meta) as IDataObject }))];
    } catch (error) {
      throw toNodeError(this.getNode(), error);
    }
  }
}

function customEntityOf(ctx: IPollFunctions): SapEntityConfig {
  return customEntity({
    service: String(ctx.getNodeParameter('service', '')),
    entitySet: String(ctx.getNodeParameter('entitySet', '')),
    keyFields: String(ctx.getNodeParameter('keyFields', '')),
    deltaField: String(ctx.getNodeParameter('deltaField', '')),
  });
}
