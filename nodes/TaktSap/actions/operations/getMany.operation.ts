import { DEFAULT_GET_MANY_LIMIT, sapGetMany, type Connector } from '@takt/runtime';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../../shared/item-loop';

const show = { show: { operation: ['getMany'] } };

export const description: INodeProperties[] = [
  {
    displayName: 'Return All',
    name: 'returnAll',
    type: 'boolean',
    default: false,
    displayOptions: show,
    description: 'Whether to return all results or only up to a given limit',
  },
  {
    displayName: 'Limit',
    name: 'limit',
    type: 'number',
    typeOptions: { minValue: 1 },
    default: DEFAULT_GET_MANY_LIMIT,
    displayOptions: { show: { operation: ['getMany'], returnAll: [false] } },
    description: 'Max number of results to return',
  },
  {
    displayName: 'Changed Since',
    name: 'changedSince',
    type: 'dateTime',
    default: '',
    displayOptions: show,
    description:
      'Only records changed at or after this time (by the entity’s change timestamp, such as LastChangeDateTime). For a cursor that survives restarts, use the SAP Trigger node.',
  },
  {
    displayName: 'Filters',
    name: 'filters',
    type: 'fixedCollection',
    placeholder: 'Add Filter',
    typeOptions: { multipleValues: true },
    default: {},
    displayOptions: show,
    description: 'Property equals value; several filters must all match',
    options: [
      {
        displayName: 'Condition',
        name: 'conditions',
        values: [
          { displayName: 'Field', name: 'field', type: 'string', default: '', placeholder: 'ProductionPlant' },
          { displayName: 'Value', name: 'value', type: 'string', default: '', placeholder: '1010' },
        ],
      },
    ],
  },
];

/** The records matching each input item's filters, in SAP's change order, up to the limit. */
export async function execute(
  this: IExecuteFunctions,
  connector: Connector,
  entity: string,
): Promise<INodeExecutionData[]> {
  return forEachItem(this, async (_item, itemIndex) => {
    const returnAll = this.getNodeParameter('returnAll', itemIndex, false) === true;
    const since = String(this.getNodeParameter('changedSince', itemIndex, '') ?? '').trim();
    const records = await sapGetMany(connector, entity, {
      returnAll,
      ...(returnAll ? {} : { limit: Number(this.getNodeParameter('limit', itemIndex, DEFAULT_GET_MANY_LIMIT)) }),
      ...(since === '' ? {} : { since: toIso(since) }),
      filter: filtersOf(this.getNodeParameter('filters.conditions', itemIndex, []) as IDataObject[]),
      signal: this.getExecutionCancelSignal(),
    });
    return records as IDataObject[];
  });
}

function filtersOf(conditions: readonly IDataObject[]): Record<string, string> {
  const filter: Record<string, string> = {};
  for (const condition of conditions) {
    const field = String(condition.field ?? '').trim();
    if (field !== '') filter[field] = String(condition.value ?? '');
  }
  return filter;
}

/** n8n's dateTime parameter carries no zone when typed by hand; read such a value as UTC. */
function toIso(value: string): string {
  const parsed = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) || !value.includes('T') ? value : `${value}Z`);
  return Number.isNaN(parsed) ? value : new Date(parsed).toISOString();
}
