import type { EntityDescriptor } from '../../connectors';
import { CANONICAL_ENTITIES, type CanonicalEntityDefinition } from '../../entities';
import { IDENTITY_KEY_FIELDS, type UpsertChildren, type ParentLink, type UpsertSyncOptions } from './types';

/** How the records of one nesting level are keyed, linked to their parent and nested further. */
export interface LevelSpec {
  readonly entity: string;
  readonly keyFields: readonly string[];
  readonly source: string | undefined;
  /** The link to the parent: the nesting parent for children, the flat link for top-level records. */
  readonly parent: ParentLink | undefined;
  /** Fields taken from the nesting parent when the child has none. */
  readonly inherit: readonly string[];
  readonly children: readonly ChildSpec[];
}

export interface ChildSpec {
  /** The parent's field holding the children. */
  readonly field: string;
  readonly spec: LevelSpec;
}

const DEFAULT_INHERIT = ['external_source'] as const;

/**
 * The level specs of a call. Unless configured, nesting and parent links come from CANONICAL_ENTITIES: a
 * canonical entity whose `parent` names this one nests under it in the field `<child>s` ("parts",
 * "operations"), and each canonical entity is written to the connector entity whose descriptor names it as
 * `canonical` (or to the entity of the canonical name when none does).
 */
export function resolveLevels(
  options: Pick<UpsertSyncOptions, 'entity' | 'canonical' | 'keyFields' | 'source' | 'children' | 'parent'>,
  descriptors: readonly EntityDescriptor[],
): LevelSpec {
  const canonical =
    options.canonical ??
    descriptors.find((descriptor) => descriptor.name === options.entity)?.canonical ??
    options.entity;
  const targetEntityFor = (name: string): string =>
    descriptors.find((descriptor) => descriptor.canonical === name)?.name ?? name;
  const parent = options.parent === null ? undefined : (options.parent ?? defaultParent(canonical, targetEntityFor));
  const children = options.children ?? defaultChildren(canonical, targetEntityFor);
  return {
    entity: options.entity,
    keyFields: options.keyFields ?? IDENTITY_KEY_FIELDS,
    source: options.source,
    parent,
    inherit: [],
    children: children.map((child) => childSpec(child, options.entity, options.source)),
  };
}

function childSpec(child: UpsertChildren, parentEntity: string, source: string | undefined): ChildSpec {
  return {
    field: child.field,
    spec: {
      entity: child.entity,
      keyFields: IDENTITY_KEY_FIELDS,
      source,
      parent: {
        entity: parentEntity,
        field: child.parentField,
        ...(child.parentTargetIdField === undefined ? {} : { parentTargetIdField: child.parentTargetIdField }),
      },
      inherit: child.inherit ?? DEFAULT_INHERIT,
      children: (child.children ?? []).map((grandchild) => childSpec(grandchild, child.entity, source)),
    },
  };
}

function definitions(): [string, CanonicalEntityDefinition][] {
  return Object.entries(CANONICAL_ENTITIES);
}

function defaultParent(canonical: string, targetEntityFor: (name: string) => string): ParentLink | undefined {
  const parent = definitions().find(([name]) => name === canonical)?.[1].parent;
  return parent ? { entity: targetEntityFor(parent.entity), field: parent.field } : undefined;
}

function defaultChildren(canonical: string, targetEntityFor: (name: string) => string): UpsertChildren[] {
  return definitions()
    .filter(([, definition]) => definition.parent?.entity === canonical)
    .map(([name, definition]) => ({
      field: `${name}s`,
      entity: targetEntityFor(name),
      parentField: definition.parent?.field ?? `${canonical}_external_id`,
      children: defaultChildren(name, targetEntityFor),
    }));
}
