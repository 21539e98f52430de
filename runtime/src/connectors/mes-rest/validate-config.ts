import { TaktError } from '../../errors';
import type { RestUpsertConfig } from './config';

/**
 * Refuses a configuration that could only fail later, record by record: every problem here is one the
 * integrator fixes once, so it is CONFIG_INVALID naming the field.
 */
export function validateRestConfig(config: RestUpsertConfig): void {
  if (!config.connectionId) invalid('connectionId', 'must name the connection');
  if (!config.baseUrl) invalid('baseUrl', 'is empty: enter the API root of the target');
  if (config.entities.length === 0) invalid('entities', 'lists no entity');
  const names = new Set(config.entities.map((entity) => entity.name));
  for (const entity of config.entities) {
    const at = `entities.${entity.name}`;
    if (entity.keyFields.length === 0) invalid(`${at}.keyFields`, 'needs at least one key field');
    if (!entity.single && !entity.bulk) invalid(at, 'needs a single or a bulk endpoint');
    const max = entity.bulk?.maxRecords;
    if (max !== undefined && (!Number.isInteger(max) || max < 1)) {
      invalid(`${at}.bulk.maxRecords`, `must be a whole number ≥ 1 (got ${String(max)})`);
    }
    if (entity.children && !names.has(entity.children.entity)) {
      invalid(`${at}.children.entity`, `names "${entity.children.entity}", which is not configured`);
    }
  }
}

function invalid(field: string, problem: string): never {
  throw new TaktError('CONFIG_INVALID', `REST upsert target: ${field} ${problem}.`, { details: { field } });
}
