import { z } from 'zod';
import {
  date,
  dateTime,
  endNotBeforeStart,
  extraField,
  identityFields,
  integer,
  text,
  unsignedDecimal,
} from './fields';

export const WORK_ORDER_STATUSES = ['created', 'released', 'in_progress', 'completed', 'closed', 'cancelled'] as const;

/**
 * A production order: make `quantity` of one product in one plant between planned dates. ERP-side it is the
 * production order header (SAP A_ProductionOrder_2); MES-side it is what the shop floor executes.
 */
export const workOrderSchema = z
  .strictObject({
    ...identityFields,
    order_number: text().describe('The order number people read and type (often equal to external_id).'),
    order_type: z.string().nullish().describe('ERP order type, e.g. a standard vs. a rework order.'),
    product_code: text().describe('Material / product number of what the order makes.'),
    description: z.string().nullish().describe('Free text: the order or product description.'),
    plant: z.string().nullish().describe('Plant (site) that produces the order.'),
    quantity: unsignedDecimal().describe('Total quantity to make, as a decimal string.'),
    unit: z.string().nullish().describe('Unit of measure of the quantities (ERP code such as PC, KG).'),
    confirmed_quantity: unsignedDecimal().nullish().describe('Good quantity confirmed so far.'),
    scrap_quantity: unsignedDecimal().nullish().describe('Scrap quantity planned or confirmed so far.'),
    status: z.enum(WORK_ORDER_STATUSES).describe('Lifecycle status, reduced from the ERP status flags.'),
    priority: integer().nullish().describe('Scheduling priority; smaller or larger first is ERP-specific.'),
    planned_start: dateTime().nullish().describe('Planned (basic) start.'),
    planned_end: dateTime().nullish().describe('Planned (basic) end.'),
    scheduled_start: dateTime().nullish().describe('Start after detailed scheduling.'),
    scheduled_end: dateTime().nullish().describe('End after detailed scheduling.'),
    due_date: date().nullish().describe('Date the output is needed.'),
    sales_order: z.string().nullish().describe('Sales order the order produces for (make-to-order).'),
    production_version: z.string().nullish().describe('Production version (routing + BOM choice).'),
    changed_at: dateTime().nullish().describe("The source's last change of the record; the delta cursor."),
    ...extraField,
  })
  .superRefine(endNotBeforeStart('planned_start', 'planned_end'))
  .describe('Production order (work order).');

export type WorkOrder = z.infer<typeof workOrderSchema>;
