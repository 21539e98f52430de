import { z } from 'zod';
import { date, dateTime, extraField, identityFields, text } from './fields';

export const MACHINE_STATUSES = ['active', 'inactive', 'deleted'] as const;

/**
 * A machine as master data: a piece of equipment with a serial number, a place and a parent. Its running
 * state is not master data; stops are `downtime` records.
 */
export const machineSchema = z
  .strictObject({
    ...identityFields,
    name: text().describe('Display name / short description.'),
    type: z.string().nullish().describe('Technical object type (ERP classification of the machine).'),
    plant: z.string().nullish().describe('Plant that maintains the machine.'),
    work_center: z.string().nullish().describe('Work center (code) the machine belongs to.'),
    location: z.string().nullish().describe('Functional location (place in the plant hierarchy).'),
    parent_external_id: z.string().nullish().describe('Superordinate machine, when it is installed in one.'),
    material: z.string().nullish().describe('Material number the machine was built from, if any.'),
    serial_number: z.string().nullish().describe('Serial number given by the owner.'),
    manufacturer: z.string().nullish().describe('Manufacturer name.'),
    manufacturer_serial_number: z.string().nullish().describe("Manufacturer's serial number."),
    model: z.string().nullish().describe("Manufacturer's model / part type."),
    status: z.enum(MACHINE_STATUSES).describe('active, inactive, or deleted (flagged for deletion).'),
    valid_to: date().nullish().describe('End of the validity period of this record (time-dependent data).'),
    changed_at: dateTime().nullish().describe("The source's last change of the record; the delta cursor."),
    ...extraField,
  })
  .describe('Machine (equipment).');

export type Machine = z.infer<typeof machineSchema>;
