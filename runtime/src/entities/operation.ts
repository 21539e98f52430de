import { z } from 'zod';
import { dateTime, endNotBeforeStart, extraField, identityFields, integer, text, unsignedDecimal } from './fields';

export const OPERATION_STATUSES = ['created', 'released', 'in_progress', 'completed', 'cancelled'] as const;

/**
 * A routing step: one operation of a work order (ERP) or of a part (MES), done at one work center. Nested
 * under a part in MES sync APIs (job → part → operation), under a work order in the ERP; at least one of
 * the two parents must be given.
 */
export const operationSchema = z
  .strictObject({
    ...identityFields,
    part_external_id: z.string().min(1).nullish().describe('Parent part (MES nesting job → part → operation).'),
    work_order_external_id: z.string().min(1).nullish().describe('Parent work order (ERP nesting).'),
    operation_number: text().describe('Operation number within its order, as the ERP writes it ("0010").'),
    name: text().describe('What is done ("Laser cut").'),
    work_center: z.string().min(1).nullish().describe('Code of the work center (cell) that performs it.'),
    sequence: integer().nullish().describe('Order of execution among the siblings; ascending.'),
    quantity: unsignedDecimal().nullish().describe('Quantity the operation processes.'),
    setup_time_minutes: unsignedDecimal().nullish().describe('Planned setup time in minutes.'),
    estimated_time_minutes: unsignedDecimal().nullish().describe('Planned processing time in minutes.'),
    planned_start: dateTime().nullish().describe('Scheduled start.'),
    planned_end: dateTime().nullish().describe('Scheduled end.'),
    status: z.enum(OPERATION_STATUSES).nullish().describe('Execution status.'),
    notes: z.string().nullish().describe('Instructions for the operator.'),
    changed_at: dateTime().nullish().describe("The source's last change of the record."),
    ...extraField,
  })
  .superRefine((value, ctx) => {
    if (!value.part_external_id && !value.work_order_external_id) {
      ctx.addIssue({
        code: 'custom',
        path: ['part_external_id'],
        message: 'An operation needs a parent: part_external_id or work_order_external_id',
      });
    }
  })
  .superRefine(endNotBeforeStart('planned_start', 'planned_end'))
  .describe('Routing step (operation).');

export type Operation = z.infer<typeof operationSchema>;
