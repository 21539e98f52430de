import { z } from 'zod';
import { dateTime, endNotBeforeStart, extraField, identityFields, text, unsignedDecimal } from './fields';

/**
 * A stop of one machine: from `start` until `end` (absent while the machine is still down), with a reason.
 * Gateways create these from machine states; the ERP side is typically a malfunction / maintenance
 * notification.
 */
export const downtimeSchema = z
  .strictObject({
    ...identityFields,
    machine_external_id: text().describe('The machine that stopped.'),
    work_center: z.string().nullish().describe('Work center (code) responsible for the machine.'),
    reason: z.string().nullish().describe('Reason code ("NO_MATERIAL", an ERP damage code).'),
    description: z.string().nullish().describe('Free text: what happened.'),
    start: dateTime().describe('When the machine stopped.'),
    end: dateTime().nullish().describe('When it ran again; absent or null while still down.'),
    duration_minutes: unsignedDecimal().nullish().describe('Length of the stop in minutes, when the source says.'),
    planned: z.boolean().nullish().describe('True for planned stops (they do not count against availability).'),
    breakdown: z.boolean().nullish().describe('True when the machine is down, not merely degraded.'),
    changed_at: dateTime().nullish().describe("The source's last change of the record."),
    ...extraField,
  })
  .superRefine(endNotBeforeStart('start', 'end'))
  .describe('Downtime (machine stop with reason).');

export type Downtime = z.infer<typeof downtimeSchema>;
