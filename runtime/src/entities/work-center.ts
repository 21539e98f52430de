import { z } from 'zod';
import { date, dateTime, extraField, identityFields, integer, text } from './fields';

/**
 * A work center: the place (a cell, a line, a group of machines) where operations are performed and
 * capacity is planned. MES sync APIs call it a cell and sync it first, since operations refer to it.
 */
export const workCenterSchema = z
  .strictObject({
    ...identityFields,
    code: text().describe('The human code operations refer to (SAP ARBPL), unique per plant.'),
    name: z.string().nullish().describe('Display name ("Cutting").'),
    plant: z.string().nullish().describe('Plant the work center belongs to.'),
    category: z.string().nullish().describe('ERP work center category (machine, labour, line, …).'),
    responsible: z.string().nullish().describe('Person or group responsible.'),
    active: z.boolean().describe('False when the work center is flagged for deletion or blocked.'),
    sequence: integer().nullish().describe('Display order in MES boards.'),
    valid_from: date().nullish().describe('First day the work center is valid.'),
    valid_to: date().nullish().describe('Last day the work center is valid.'),
    changed_at: dateTime().nullish().describe("The source's last change of the record."),
    ...extraField,
  })
  .describe('Work center (cell).');

export type WorkCenter = z.infer<typeof workCenterSchema>;
