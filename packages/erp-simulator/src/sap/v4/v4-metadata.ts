import type { PropertyDef } from '../model/edm';
import type { SapData } from '../data/sap-data';
import type { ServiceDef } from '../services';
import { xmlEscape } from '../odata/xml';

/** A minimal valid CSDL 4.0 document: entity types with keys and property types, navigation, container. */
function v4Type(property: PropertyDef): string {
  switch (property.kind) {
    case 'string':
    case 'timestamp14':
      return `Type="Edm.String" MaxLength="${property.maxLength ?? 255}"`;
    case 'flag':
    case 'boolean':
      return 'Type="Edm.Boolean"';
    case 'decimal':
      return `Type="Edm.Decimal" Precision="${property.precision ?? 13}" Scale="${property.scale ?? 3}"`;
    case 'int':
      return 'Type="Edm.Int32"';
    case 'date':
      return 'Type="Edm.Date"';
    case 'datetime':
    case 'datetimeoffset':
      return 'Type="Edm.DateTimeOffset" Precision="0"';
    case 'time':
      return 'Type="Edm.TimeOfDay"';
    case 'guid':
      return 'Type="Edm.Guid"';
  }
}

export function v4Metadata(service: ServiceDef, data: SapData): string {
  const ns = xmlEscape(service.namespace);
  const types: string[] = [];
  const sets: string[] = [];
  for (const set of service.sets) {
    const def = data.store(set.dataSet).def;
    const keys = def.keys.map((k) => `<PropertyRef Name="${k}"/>`).join('');
    const properties = def.properties
      .map((p) => {
        const nullable = p.nullable === false || def.keys.includes(p.name) ? ' Nullable="false"' : '';
        return `<Property Name="${p.name}" ${v4Type(p)}${nullable}/>`;
      })
      .join('');
    const bindings: string[] = [];
    const navigations = def.navigations
      .map((n) => {
        const target = service.sets.find((s) => s.dataSet === n.target);
        if (!target) return '';
        bindings.push(`<NavigationPropertyBinding Path="${n.name}" Target="${target.name}"/>`);
        return `<NavigationProperty Name="${n.name}" Type="Collection(${ns}.${target.typeName})"/>`;
      })
      .join('');
    types.push(`<EntityType Name="${set.typeName}"><Key>${keys}</Key>${properties}${navigations}</EntityType>`);
    sets.push(`<EntitySet Name="${set.name}" EntityType="${ns}.${set.typeName}">${bindings.join('')}</EntitySet>`);
  }
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">' +
    `<edmx:DataServices><Schema Namespace="${ns}" xmlns="http://docs.oasis-open.org/odata/ns/edm">` +
    types.join('') +
    `<EntityContainer Name="Container">${sets.join('')}</EntityContainer>` +
    '</Schema></edmx:DataServices></edmx:Edmx>'
  );
}
