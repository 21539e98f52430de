import {
  commaList,
  CONFLICT_STRATEGIES,
  type ConflictStrategy,
  type Connector,
  type ErrorRecord,
  fieldText,
  isErrorCode,
  runUpsert,
  type RunUpsertResult,
  type SapEntityConfig,
  TaktError,
  type UpsertItemOutcome,
} from '@takt/runtime';
import { NodeConnectionTypes } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { credentialTests } from '../shared/credential-tests';
import { sapCredentials } from '../shared/descriptions';
import { toNodeError } from '../shared/errors';
import { outputItem, recordOf } from '../shared/item-meta';
import { withMesConnector, withSapConnector, withStore } from '../shared/resources';
import { CUSTOM_ENTITY, upsertProperties } from './description';

/** With Separate Outputs: done (created, updated, unchanged, skipped), conflicts, errors. */
const SEPARATE_OUTPUTS =
  '={{ $parameter.separateOutputs ? [{ "type": "main", "displayName": "Done" }, { "type": "main", "displayName": "Conflicts" }, { "type": "main", "displayName": "Errors" }] : [{ "type": "main" }] }}';

/**
 * Takt Upsert Sync: writes each item's record to an SAP entity or a shop-floor REST entity, deciding per record
 * from Takt's id map (created, updated, unchanged, skipped, conflict, error), in batches, as one sync job. A job
 * item's parts and their operations are written as records of their own. Each output item says what happened
 * to its input item and keeps the input's `_takt`.
 */
export class TaktUpsertSync implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Takt Upsert Sync',
    name: 'taktUpsertSync',
    icon: { light: 'file:../icons/takt.svg', dark: 'file:../icons/takt.dark.svg' },
    group: ['output'],
    version: 1,
    subtitle: '={{ $parameter["system"] === "mes" ? $parameter["mesEntity"] : $parameter["sapEntity"] }}',
    description: 'Create or update records in SAP or a shop-floor system, once, with conflicts detected',
    defaults: { name: 'Takt Upsert Sync' },
    inputs: [NodeConnectionTypes.Main],
    outputs: SEPARATE_OUTPUTS,
    usableAsTool: true,
    // The MES and store credentials are spelled out (not taken from the shared snippets) so n8n's
    // credential-test-required lint rule, which reads literals, sees which test covers them.
    credentials: [
      ...sapCredentials({ system: ['sap'] }),
      {
        name: 'taktMesApi',
        required: true,
        testedBy: 'taktMesConnectionTest',
        displayOptions: { show: { system: ['mes'] } },
      },
      { name: 'taktStateStore', required: false, testedBy: 'taktStateStoreTest' },
    ],
    properties: upsertProperties,
  };

  methods = { credentialTest: credentialTests };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const items = this.getInputData();
    const separate = this.getNodeParameter('separateOutputs', 0, false) === true;
    let run: RunUpsertResult;
    try {
      const settings = readSettings(this);
      const records = items.map(recordOf);
      const upsert = (connector: Connector, connection: string): Promise<RunUpsertResult> =>
        withStore(this, (store) =>
          runUpsert({
            store,
            connector,
            connection,
            records,
            ...settings,
            jobName: `n8n: ${this.getWorkflow().name ?? this.getWorkflow().id ?? 'workflow'} / ${this.getNode().name}`,
          }),
        );
      run =
        this.getNodeParameter('system', 0) === 'mes'
          ? await withMesConnector(this, upsert)
          : await withSapConnector(this, upsert, customSapEntities(this));
    } catch (error) {
      throw toNodeError(this.getNode(), error);
    }

    const done: INodeExecutionData[] = [];
    const conflicts: INodeExecutionData[] = [];
    const errors: INodeExecutionData[] = [];
    for (const result of run.results) {
      const item = outputItem(items[result.index], resultJson(result, run.jobId), result.index);
      if (result.action === 'error' && result.error && !separate && !this.continueOnFail()) {
        throw toNodeError(this.getNode(), failure(result, result.error, run), result.index);
      }
      if (!separate) done.push(item);
      else if (result.action === 'error') errors.push(item);
      else if (result.action === 'conflict') conflicts.push(item);
      else done.push(item);
    }
    return separate ? [done, conflicts, errors] : [done];
  }
}

interface Settings {
  readonly entity: string;
  readonly keyFields?: string[];
  readonly source?: string;
  readonly strategy: ConflictStrategy;
  readonly batchSize: number;
}

function readSettings(ctx: IExecuteFunctions): Settings {
  const system = ctx.getNodeParameter('system', 0);
  const entity =
    system === 'mes' ? mesEntity(ctx) : fieldText(ctx.getNodeParameter('sapEntity', 0, '')) || CUSTOM_ENTITY;
  const resolved = entity === CUSTOM_ENTITY ? fieldText(ctx.getNodeParameter('sapEntitySet', 0, '')) : entity;
  const strategy = fieldText(ctx.getNodeParameter('strategy', 0, 'source_wins'));
  if (!(CONFLICT_STRATEGIES as readonly string[]).includes(strategy)) {
    throw new TaktError('CONFIG_INVALID', `Conflict Strategy "${strategy}" is unknown: pick one from the list.`);
  }
  const batchSize = Number(ctx.getNodeParameter('batchSize', 0, 100));
  const keyFields = commaList(ctx.getNodeParameter('keyFields', 0, ''));
  const source = fieldText(ctx.getNodeParameter('keySource', 0, ''));
  if (keyFields.length > 0 && source === '') {
    throw new TaktError('CONFIG_INVALID', 'Custom Key Fields need a Key Source: name the system the keys come from.');
  }
  return {
    entity: resolved,
    strategy: strategy as ConflictStrategy,
    batchSize,
    ...(keyFields.length > 0 ? { keyFields, source } : {}),
  };
}

function mesEntity(ctx: IExecuteFunctions): string {
  const entity = fieldText(ctx.getNodeParameter('mesEntity', 0, 'jobs'));
  if (entity !== CUSTOM_ENTITY) return entity;
  const custom = fieldText(ctx.getNodeParameter('mesCustomEntity', 0, ''));
  if (custom === '') throw new TaktError('CONFIG_INVALID', 'Entity Name is empty: name the entity to write.');
  return custom;
}

/** "Any Entity Set": the entity set the user typed, writable, named by its entity set. */
function customSapEntities(ctx: IExecuteFunctions): SapEntityConfig[] {
  if (ctx.getNodeParameter('sapEntity', 0, '') !== CUSTOM_ENTITY) return [];
  const service = fieldText(ctx.getNodeParameter('sapService', 0, ''));
  const entitySet = fieldText(ctx.getNodeParameter('sapEntitySet', 0, ''));
  const keyFields = commaList(ctx.getNodeParameter('sapEntityKeys', 0, ''));
  if (service === '' || entitySet === '' || keyFields.length === 0) {
    throw new TaktError(
      'CONFIG_INVALID',
      'Any Entity Set needs a Service, an Entity Set and its Entity Key Properties.',
    );
  }
  return [{ name: entitySet, service, entitySet, keyFields, capabilities: { create: true, update: true } }];
}

function resultJson(result: UpsertItemOutcome, jobId: string): IDataObject {
  return {
    action: result.action,
    ...(result.targetId !== undefined ? { targetId: result.targetId } : {}),
    ...(result.externalId !== undefined ? { externalId: result.externalId } : {}),
    ...(result.reason !== undefined ? { reason: result.reason } : {}),
    ...(result.error ? { error: { ...result.error } } : {}),
    ...(result.children
      ? {
          children: result.children.map((child) => ({
            ...child,
            ...(child.error ? { error: { ...child.error } } : {}),
          })),
        }
      : {}),
    jobId,
  };
}

/** The error a failed record stops the node with: its own, and what became of the others. */
function failure(result: UpsertItemOutcome, error: ErrorRecord, run: RunUpsertResult): TaktError {
  const synced = run.results.filter((r) => ['created', 'updated', 'unchanged'].includes(r.action)).length;
  const failed = run.results.filter((r) => r.action === 'error').length;
  const id = result.externalId === undefined ? '' : ` (${result.externalId})`;
  return new TaktError(
    isErrorCode(error.code) ? error.code : 'INTERNAL',
    `Record ${result.index}${id} was not synced: ${error.message.replace(/\.$/, '')}. ${failed} of ` +
      `${run.results.length} records failed, ${synced} were synced (job ${run.jobId}). Turn on Continue On Fail ` +
      'or Separate Outputs to pass failed records on instead.',
    { retryable: error.retryable, details: { index: result.index, jobId: run.jobId } },
  );
}
