import {
  applyMapping,
  commaList,
  type FieldMapping,
  fieldText,
  type FieldType,
  listMappingPresets,
  type MappingDirection,
  type MappingSource,
  type PreparedMapping,
  prepareMapping,
  simulate,
  TaktError,
} from '@takt/runtime';
import { NodeConnectionTypes } from 'n8n-workflow';
import type {
  IDataObject,
  IExecuteFunctions,
  ILoadOptionsFunctions,
  INodeExecutionData,
  INodePropertyOptions,
  INodeType,
  INodeTypeDescription,
} from 'n8n-workflow';

import { credentialTests } from '../shared/credential-tests';
import { stateStoreCredential } from '../shared/descriptions';
import { toNodeError } from '../shared/errors';
import { errorItem } from '../shared/item-loop';
import { outputItem, recordOf } from '../shared/item-meta';
import { withStore } from '../shared/resources';
import { mapProperties } from './description';

/**
 * Takt Map: a preset (with field overrides) or a JSONata expression turns each item's record into the mapped
 * record (Apply), or shows per item what Upsert Sync would do with it (Simulate). The mapping is checked once,
 * before any item; mapping, validation and prediction are the runtime's (node-ops/map.ts).
 */
export class TaktMap implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Takt Map',
    name: 'taktMap',
    icon: { light: 'file:../icons/takt.svg', dark: 'file:../icons/takt.dark.svg' },
    group: ['transform'],
    version: 1,
    subtitle: '={{ $parameter["mode"] === "simulate" ? "Simulate" : "Apply" }}',
    description: 'Map ERP records to canonical records and back, or simulate what a sync would change',
    defaults: { name: 'Takt Map' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ ...stateStoreCredential, displayOptions: { show: { mode: ['simulate'] } } }],
    properties: mapProperties,
  };

  methods = {
    credentialTest: credentialTests,
    loadOptions: {
      async getPresets(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
        const direction = this.getCurrentNodeParameter('direction');
        return listMappingPresets(direction === 'outbound' ? 'outbound' : 'inbound').map((option) => ({
          name: option.title,
          value: option.id,
          description: option.description,
        }));
      },
    },
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const items = this.getInputData();
    let prepared: PreparedMapping;
    try {
      prepared = prepareMapping({ source: mappingSource(this), direction: direction(this) });
    } catch (error) {
      // A bad mapping is the node's, not an item's: it fails before any item is read.
      throw toNodeError(this.getNode(), error);
    }
    const records = items.map(recordOf);
    if (this.getNodeParameter('mode', 0) === 'simulate') return [await simulateItems(this, prepared, items, records)];

    let applied;
    try {
      applied = await applyMapping(prepared, records);
    } catch (error) {
      throw toNodeError(this.getNode(), error);
    }
    const output: INodeExecutionData[] = [];
    for (const result of applied) {
      const item = items[result.index];
      if (result.record) {
        output.push(outputItem(item, result.record, result.index));
        continue;
      }
      const error = result.error ?? new TaktError('RECORD_INVALID', `Record ${result.index} does not map.`);
      if (!this.continueOnFail()) throw toNodeError(this.getNode(), error, result.index);
      output.push(errorItem(item, error, result.index));
    }
    return [output];
  }
}

async function simulateItems(
  ctx: IExecuteFunctions,
  prepared: PreparedMapping,
  items: readonly INodeExecutionData[],
  records: readonly Record<string, unknown>[],
): Promise<INodeExecutionData[]> {
  const connection = fieldText(ctx.getNodeParameter('connectionName', 0, ''));
  const entity = fieldText(ctx.getNodeParameter('targetEntity', 0, ''));
  const keyFields = commaList(ctx.getNodeParameter('keyFields', 0, ''));
  const source = fieldText(ctx.getNodeParameter('keySource', 0, ''));
  let simulated;
  try {
    if (connection === '')
      throw new TaktError('CONFIG_INVALID', 'Connection Name is empty: name the Upsert Sync target.');
    simulated = await withStore(ctx, (store) =>
      simulate(prepared, records, {
        store,
        connection,
        entity,
        ...(keyFields.length > 0 ? { keyFields } : {}),
        ...(source !== '' ? { source } : {}),
      }),
    );
  } catch (error) {
    throw toNodeError(ctx.getNode(), error);
  }
  return simulated.map((result) =>
    outputItem(
      items[result.index],
      {
        mapped: (result.mapped ?? null) as IDataObject | null,
        issues: result.issues.map((issue) => ({ ...issue })),
        predictedAction: result.predictedAction,
        reason: result.reason,
        ...(result.changedFields ? { changedFields: [...result.changedFields] } : {}),
        ...(result.externalId !== undefined ? { externalId: result.externalId } : {}),
        ...(result.targetId !== undefined ? { targetId: result.targetId } : {}),
      },
      result.index,
    ),
  );
}

function direction(ctx: IExecuteFunctions): MappingDirection {
  return ctx.getNodeParameter('direction', 0, 'inbound') === 'outbound' ? 'outbound' : 'inbound';
}

function mappingSource(ctx: IExecuteFunctions): MappingSource {
  if (ctx.getNodeParameter('mappingSource', 0, 'preset') === 'jsonata') {
    const entity = fieldText(ctx.getNodeParameter('entity', 0, ''));
    return {
      kind: 'jsonata',
      expression: String(ctx.getNodeParameter('expression', 0, '')),
      ...(entity !== '' ? { entity } : {}),
    };
  }
  const externalSource = direction(ctx) === 'inbound' ? fieldText(ctx.getNodeParameter('externalSource', 0, '')) : '';
  const timeZone = fieldText(ctx.getNodeParameter('timeZone', 0, ''));
  const remove = commaList(ctx.getNodeParameter('removeFields', 0, ''));
  const fields = overrides(ctx.getNodeParameter('fieldOverrides', 0, {}) as IDataObject);
  return {
    kind: 'preset',
    preset: fieldText(ctx.getNodeParameter('preset', 0, '')),
    overrides: {
      ...(externalSource !== '' ? { source: externalSource } : {}),
      ...(timeZone !== '' ? { timeZone } : {}),
      ...(remove.length > 0 ? { remove } : {}),
      ...(fields.length > 0 ? { fields } : {}),
    },
  };
}

/** The Field Overrides collection → mapping fields; a row without a canonical name is refused by name. */
function overrides(collection: IDataObject): FieldMapping[] {
  const rows = Array.isArray(collection.field) ? (collection.field as IDataObject[]) : [];
  return rows.map((row, position) => {
    const canonical = fieldText(row.canonical);
    if (canonical === '') {
      throw new TaktError('MAPPING_INVALID', `Field Override ${position + 1} has no Canonical Field: name the field.`);
    }
    const erp = fieldText(row.erp);
    const expression = fieldText(row.expression);
    return {
      canonical,
      type: (fieldText(row.type) || 'STRING') as FieldType,
      ...(erp !== '' ? { erp } : {}),
      ...(expression !== '' ? { expression } : {}),
      ...(row.required === true ? { required: true } : {}),
    };
  });
}
