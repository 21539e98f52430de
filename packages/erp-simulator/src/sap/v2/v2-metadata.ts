import type { PropertyDef } from '../model/edm';
import type { SapData } from '../data/sap-data';
import type { ServiceDef } from '../services';
import { xmlEscape } from '../odata/xml';

/**
 * A minimal but valid V2 EDMX (reference A.1): entity types with keys, property types (the delta fields'
 * true types among them: Edm.String(14) for production orders, Edm.DateTimeOffset for equipment and
 * notifications), navigation properties with their associations, and the entity container.
 */
function v2Type(property: PropertyDef): string {
  switch (property.kind) {
    case 'string':
    case 'timestamp14':
      return `Type="Edm.String" MaxLength="${property.maxLength ?? 255}"`;
    case 'flag':
      return 'Type="Edm.String" MaxLength="1"';
    case 'decimal':
      return `Type="Edm.Decimal" Precision="${property.precision ?? 13}" Scale="${property.scale ?? 3}"`;
    case 'int':
      return 'Type="Edm.Int32"';
    case 'boolean':
      return 'Type="Edm.Boolean"';
    case 'date':
      return 'Type="Edm.DateTime" Precision="0" sap:display-format="Date"';
    case 'datetime':
      return 'Type="Edm.DateTime" Precision="0"';
    case 'datetimeoffset':
      return 'Type="Edm.DateTimeOffset" Precision="0"';
    case 'time':
      return 'Type="Edm.Time" Precision="0"';
    case 'guid':
      return 'Type="Edm.Guid"';
  }
}

export function v2Metadata(service: ServiceDef, data: SapData): string {
  const ns = service.namespace;
  const types: string[] = [];
  const associations: string[] = [];
  const sets: string[] = [];
  const associationSets: string[] = [];
  for (const set of service.sets) {
    const def = data.store(set.dataSet).def;
    const keys = def.keys.map((k) => `<PropertyRef Name="${k}"/>`).join('');
    const properties = def.properties
      .map((p) => {
        const nullable = p.nullable === false || def.keys.includes(p.name) ? ' Nullable="false"' : '';
        return `<Property Name="${p.name}" ${v2Type(p)}${nullable} sap:filterable="true"/>`;
      })
      .join('');
    const navigations = def.navigations
      .map((n) => {
        const target = service.sets.find((s) => s.dataSet === n.target);
        if (!target) return '';
        const association = `assoc_${set.name}_${n.name}`;
        associations.push(
          `<Association Name="${association}"><End Type="${ns}.${set.typeName}" Multiplicity="1" Role="FromRole_${association}"/>` +
            `<End Type="${ns}.${target.typeName}" Multiplicity="*" Role="ToRole_${association}"/></Association>`,
        );
        associationSets.push(
          `<AssociationSet Name="${association}_set" Association="${ns}.${association}">` +
            `<End EntitySet="${set.name}" Role="FromRole_${association}"/><End EntitySet="${target.name}" Role="ToRole_${association}"/></AssociationSet>`,
        );
        return `<NavigationProperty Name="${n.name}" Relationship="${ns}.${association}" FromRole="FromRole_${association}" ToRole="ToRole_${association}"/>`;
      })
      .join('');
    types.push(
      `<EntityType Name="${set.typeName}" sap:content-version="1"><Key>${keys}</Key>${properties}${navigations}</EntityType>`,
    );
    const writes = def.writes;
    sets.push(
      `<EntitySet Name="${set.name}" EntityType="${ns}.${set.typeName}" sap:creatable="${writes.create}" sap:updatable="${writes.update}" sap:deletable="false" sap:content-version="1"/>`,
    );
  }
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx" ' +
    'xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" xmlns:sap="http://www.sap.com/Protocols/SAPData">' +
    '<edmx:DataServices m:DataServiceVersion="2.0">' +
    `<Schema Namespace="${xmlEscape(ns)}" xml:lang="en" sap:schema-version="1" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">` +
    types.join('') +
    associations.join('') +
    `<EntityContainer Name="${xmlEscape(service.name)}_Entities" m:IsDefaultEntityContainer="true" sap:supported-formats="atom json xlsx">` +
    sets.join('') +
    associationSets.join('') +
    '</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>'
  );
}
