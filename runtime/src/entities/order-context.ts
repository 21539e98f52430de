import { z } from 'zod';
import { dateTime, endNotBeforeStart, extraField, identityFields, text } from './fields';

/**
 * One row of a production database's order table: which order ran on which machine, from when to when.
 * Tells a monitoring system what the machine was making at any moment (production context).
 */
export const orderContextSchema = z
  .strictObject({
    ...identityFields,
    order_code: text().describe('The order as the production database names it.'),
    product_code: z.string().nullish().describe('What was produced.'),
    machine_code: text().describe('Where it was produced.'),
    start: dateTime().describe('When the order started on the machine.'),
    end: dateTime().nullish().describe('When it ended; absent while it is running.'),
    ...extraField,
  })
  .superRefine(endNotBeforeStart('start', 'end'))
  .describe('Order context (order-table row of a production database).');

export type OrderContext = z.infer<typeof orderContextSchema>;
