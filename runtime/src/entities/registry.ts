import type { z } from 'zod';
import { TaktError } from '../errors';
import { bookingSchema } from './booking';
import { customerSchema } from './customer';
import { downtimeSchema } from './downtime';
import { jobSchema } from './job';
import { machineSchema } from './machine';
import { operationSchema } from './operation';
import { orderContextSchema } from './order-context';
import { partSchema } from './part';
import { productionDataSchema } from './production-data';
import { resourceSchema } from './resource';
import { workCenterSchema } from './work-center';
import { workOrderSchema } from './work-order';

export interface CanonicalEntityDefinition {
  readonly schema: z.ZodType<Record<string, unknown>>;
  /** One line for pickers and docs. */
  readonly description: string;
  /** The fields that identify a record across systems; the id map and upserts key on them. */
  readonly keyFields: readonly string[];
  /**
   * The entity this one nests under in MES sync APIs (job → part → operation), and the field holding the
   * parent's external id. A parent must be synced before its children.
   */
  readonly parent?: { readonly entity: string; readonly field: string };
}

const IDENTITY = ['external_source', 'external_id'] as const;

/** Every canonical entity Takt maps to and from, by the name mapping specs use in `canonical`. */
export const CANONICAL_ENTITIES = Object.freeze({
  work_order: { schema: workOrderSchema, description: 'Production order', keyFields: IDENTITY },
  operation: {
    schema: operationSchema,
    description: 'Routing step of a work order or part',
    keyFields: IDENTITY,
    parent: { entity: 'part', field: 'part_external_id' },
  },
  work_center: { schema: workCenterSchema, description: 'Work center (cell)', keyFields: IDENTITY },
  machine: { schema: machineSchema, description: 'Machine (equipment master data)', keyFields: IDENTITY },
  resource: { schema: resourceSchema, description: 'Tool, fixture, mold, material or equipment', keyFields: IDENTITY },
  job: { schema: jobSchema, description: 'Job (sales order as MES systems model it)', keyFields: IDENTITY },
  part: {
    schema: partSchema,
    description: 'Part of a job',
    keyFields: IDENTITY,
    parent: { entity: 'job', field: 'job_external_id' },
  },
  production_data: {
    schema: productionDataSchema,
    description: 'Confirmation: quantities, times and OEE inputs',
    keyFields: IDENTITY,
  },
  downtime: { schema: downtimeSchema, description: 'Machine stop with reason', keyFields: IDENTITY },
  order_context: {
    schema: orderContextSchema,
    description: 'Order-table row of a production database',
    keyFields: IDENTITY,
  },
  booking: {
    schema: bookingSchema,
    description: 'START / END booking of an order on a machine',
    keyFields: IDENTITY,
  },
  customer: { schema: customerSchema, description: 'Customer', keyFields: IDENTITY },
} satisfies Record<string, CanonicalEntityDefinition>);

export type CanonicalEntityName = keyof typeof CANONICAL_ENTITIES;

export function isCanonicalEntity(name: string): name is CanonicalEntityName {
  return Object.prototype.hasOwnProperty.call(CANONICAL_ENTITIES, name);
}

/** The definition of a canonical entity; MAPPING_INVALID names the known ones when `name` is not one. */
export function getCanonicalEntity(name: string): CanonicalEntityDefinition {
  if (!isCanonicalEntity(name)) {
    throw new TaktError(
      'MAPPING_INVALID',
      `Unknown canonical entity "${name}". Known entities: ${Object.keys(CANONICAL_ENTITIES).join(', ')}.`,
      { details: { entity: name } },
    );
  }
  return CANONICAL_ENTITIES[name];
}
