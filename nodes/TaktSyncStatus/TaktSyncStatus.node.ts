import { STATUS_VIEWS, syncStatus, TaktError, type JobStatus, type StatusView } from '@takt/runtime';
import { NodeConnectionTypes } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { credentialTests } from '../shared/credential-tests';
import { stateStoreCredential } from '../shared/descriptions';
import { forEachItem } from '../shared/item-loop';
import { withStore } from '../shared/resources';
import { syncStatusProperties } from './description';

/**
 * Takt Sync Status: reads the job log and statistics Takt keeps in its state store, per connection name. One
 * run per input item (its parameters may be expressions); each row comes out as an item paired to that input.
 * The views are the runtime's (node-ops/status.ts).
 */
export class TaktSyncStatus implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Takt Sync Status',
    name: 'taktSyncStatus',
    icon: { light: 'file:../icons/takt.svg', dark: 'file:../icons/takt.dark.svg' },
    group: ['input'],
    version: 1,
    subtitle: '={{ $parameter["view"] + ": " + $parameter["connectionName"] }}',
    description: 'Sync jobs, statistics, failed records and stale jobs per connection',
    defaults: { name: 'Takt Sync Status' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    credentials: [stateStoreCredential],
    properties: syncStatusProperties,
  };

  methods = { credentialTest: credentialTests };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return withStore(this, async (store) => [
      await forEachItem(this, async (_item, itemIndex) => {
        const view = this.getNodeParameter('view', itemIndex) as string;
        if (!(STATUS_VIEWS as readonly string[]).includes(view)) {
          throw new TaktError('CONFIG_INVALID', `View "${view}" is not one of ${STATUS_VIEWS.join(', ')}.`);
        }
        const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
        const rows = await syncStatus(store, {
          view: view as StatusView,
          connection: text(this.getNodeParameter('connectionName', itemIndex, '')),
          entity: text(options.entity),
          limit: Number(options.limit ?? 50),
          ...(text(options.status) ? { status: text(options.status) as JobStatus } : {}),
          ...(text(options.jobId) ? { jobId: text(options.jobId) } : {}),
          ...(typeof options.staleAfterMinutes === 'number'
            ? { staleAfterMs: options.staleAfterMinutes * 60_000 }
            : {}),
        });
        return rows;
      }),
    ]);
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}
