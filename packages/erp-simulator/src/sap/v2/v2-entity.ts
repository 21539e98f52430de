import type { SimRecord } from '../model/edm';
import type { DataSetDef } from '../model/entity-set';
import type { ODataContext } from '../odata/request-context';
import { formatKey } from '../odata/resource-path';
import { toWire } from '../odata/wire-values';
import type { ExposedSet } from '../services';
import { etagOf } from '../writes/etag';

/**
 * One entity in V2 verbose JSON (reference A.5): __metadata with id, uri, type and etag, the properties in
 * their V2 encodings, and navigation properties as __deferred links.
 */
export function v2Entity(
  context: ODataContext,
  set: ExposedSet,
  def: DataSetDef,
  record: SimRecord,
  select?: readonly string[],
): Record<string, unknown> {
  const uri = `${context.rootUrl}/${set.name}${formatKey(def, record, 'v2')}`;
  const all = !select || select.includes('*');
  const entity: Record<string, unknown> = {
    __metadata: { id: uri, uri, type: `${context.service.namespace}.${set.typeName}`, etag: etagOf(record) },
  };
  for (const property of def.properties) {
    if (all || select.includes(property.name))
      entity[property.name] = toWire(property, record[property.name], { version: 'v2' });
  }
  for (const navigation of def.navigations) {
    if (all || select.includes(navigation.name))
      entity[navigation.name] = { __deferred: { uri: `${uri}/${navigation.name}` } };
  }
  return entity;
}
