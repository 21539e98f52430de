import { z } from 'zod';
import { date, dateTime, extraField, identityFields, text, unsignedDecimal } from './fields';

/** A part of a job: one product to make in a quantity (the MES face of a work order). */
export const partSchema = z
  .strictObject({
    ...identityFields,
    job_external_id: text().describe('Parent job; required, a part never stands alone.'),
    work_order_external_id: z.string().nullish().describe('The ERP work order that makes the part, if known.'),
    part_number: text().describe('Product / drawing number ("BRACKET-A").'),
    material: z.string().nullish().describe('Raw material the part is made from ("Steel 304").'),
    quantity: unsignedDecimal().describe('Quantity to make, as a decimal string.'),
    unit: z.string().nullish().describe('Unit of measure of the quantity.'),
    due_date: date().nullish().describe('Date the part is needed.'),
    notes: z.string().nullish().describe('Free text for the shop floor.'),
    changed_at: dateTime().nullish().describe("The source's last change of the record."),
    ...extraField,
  })
  .describe('Part (line of a job).');

export type Part = z.infer<typeof partSchema>;
