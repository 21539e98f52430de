/**
 * The five entities of the MES sync API and the fields each accepts, as data. Field names and enums follow the
 * vendor's sync reference; validation reads this table, so a rule lives in one place.
 *
 * Dependency order for an initial load (the reference's foreign-key order): cells and resources and jobs have
 * no parents; a part needs its job (`job_external_id`); an operation needs its part (`part_external_id`) and a
 * cell by name (`cell_name`).
 */
export type MesEntity = 'cells' | 'resources' | 'jobs' | 'parts' | 'operations';

export const MES_ENTITIES: readonly MesEntity[] = ['cells', 'resources', 'jobs', 'parts', 'operations'];

export type FieldRule =
  | { readonly type: 'string' | 'boolean' | 'date' | 'color'; readonly required?: boolean }
  | { readonly type: 'integer' | 'number'; readonly required?: boolean; readonly min?: number }
  | { readonly type: 'enum'; readonly required?: boolean; readonly values: readonly string[] };

export const RESOURCE_TYPES = ['tooling', 'fixture', 'mold', 'material', 'equipment'] as const;
export const RESOURCE_STATUSES = ['available', 'in_use', 'maintenance'] as const;

export interface EntitySpec {
  readonly entity: MesEntity;
  /** Path segment: `/api-jobs/sync`, `/api-jobs/bulk-sync`. */
  readonly route: string;
  /** Property of a bulk-sync body holding the array (`{ "jobs": [...] }`). */
  readonly bulkKey: string;
  readonly fields: Readonly<Record<string, FieldRule>>;
  /** The nested child array a record may carry, and the entity it holds. */
  readonly children?: { readonly field: string; readonly entity: MesEntity };
  /** The reference to the parent, required unless the record arrives nested inside its parent. */
  readonly parent?: { readonly field: string; readonly entity: MesEntity };
}

export const ENTITY_SPECS: Readonly<Record<MesEntity, EntitySpec>> = {
  cells: {
    entity: 'cells',
    route: 'api-cells',
    bulkKey: 'cells',
    fields: {
      name: { type: 'string', required: true },
      color: { type: 'color' },
      sequence: { type: 'integer', min: 0 },
      active: { type: 'boolean' },
    },
  },
  resources: {
    entity: 'resources',
    route: 'api-resources',
    bulkKey: 'resources',
    fields: {
      name: { type: 'string', required: true },
      type: { type: 'enum', values: RESOURCE_TYPES },
      description: { type: 'string' },
      identifier: { type: 'string' },
      location: { type: 'string' },
      status: { type: 'enum', values: RESOURCE_STATUSES },
    },
  },
  jobs: {
    entity: 'jobs',
    route: 'api-jobs',
    bulkKey: 'jobs',
    fields: {
      job_number: { type: 'string', required: true },
      customer: { type: 'string' },
      due_date: { type: 'date' },
      priority: { type: 'integer', min: 0 },
      notes: { type: 'string' },
    },
    children: { field: 'parts', entity: 'parts' },
  },
  parts: {
    entity: 'parts',
    route: 'api-parts',
    bulkKey: 'parts',
    fields: {
      part_number: { type: 'string', required: true },
      material: { type: 'string' },
      quantity: { type: 'integer', min: 1 },
      notes: { type: 'string' },
    },
    children: { field: 'operations', entity: 'operations' },
    parent: { field: 'job_external_id', entity: 'jobs' },
  },
  operations: {
    entity: 'operations',
    route: 'api-operations',
    bulkKey: 'operations',
    fields: {
      operation_name: { type: 'string', required: true },
      cell_name: { type: 'string', required: true },
      sequence: { type: 'integer', min: 0 },
      estimated_time_minutes: { type: 'number', min: 0 },
      notes: { type: 'string' },
    },
    parent: { field: 'part_external_id', entity: 'parts' },
  },
};

export function entityForRoute(route: string): MesEntity | undefined {
  return MES_ENTITIES.find((entity) => ENTITY_SPECS[entity].route === route);
}

/** The vendor's limit on one bulk-sync request. */
export const MAX_BULK_RECORDS = 1000;
