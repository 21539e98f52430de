import { z } from 'zod';
import { extraField, identityFields, text } from './fields';

export const RESOURCE_KINDS = ['tooling', 'fixture', 'mold', 'material', 'equipment'] as const;
export const RESOURCE_STATUSES = ['available', 'in_use', 'maintenance'] as const;

/** Something an operation needs besides the work center: a tool, a fixture, a mold, material, equipment. */
export const resourceSchema = z
  .strictObject({
    ...identityFields,
    name: text().describe('Display name ("CNC Mill #1").'),
    kind: z.enum(RESOURCE_KINDS).describe('tooling, fixture, mold, material or equipment.'),
    identifier: z.string().nullish().describe('Tag or inventory number printed on the resource.'),
    description: z.string().nullish().describe('Free text.'),
    location: z.string().nullish().describe('Where it is kept ("Building A, Bay 3").'),
    status: z.enum(RESOURCE_STATUSES).describe('available, in_use or maintenance.'),
    ...extraField,
  })
  .describe('Production resource (tool, fixture, mold, material, equipment).');

export type Resource = z.infer<typeof resourceSchema>;
