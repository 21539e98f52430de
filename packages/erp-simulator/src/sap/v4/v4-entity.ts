import type { SimRecord } from '../model/edm';
import type { DataSetDef } from '../model/entity-set';
import { toWire } from '../odata/wire-values';
import { etagOf } from '../writes/etag';

/** One entity in OData V4 JSON (reference A.5): @odata.etag, then properties in their V4 encodings. */
export function v4Entity(
  def: DataSetDef,
  record: SimRecord,
  options: { select?: readonly string[]; ieee754Compatible: boolean },
): Record<string, unknown> {
  const all = !options.select || options.select.includes('*');
  const entity: Record<string, unknown> = { '@odata.etag': etagOf(record) };
  for (const property of def.properties) {
    if (all || options.select?.includes(property.name) || def.keys.includes(property.name)) {
      entity[property.name] = toWire(property, record[property.name], {
        version: 'v4',
        ieee754Compatible: options.ieee754Compatible,
      });
    }
  }
  return entity;
}
