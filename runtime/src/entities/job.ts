import { z } from 'zod';
import { date, dateTime, extraField, identityFields, integer, text } from './fields';

export const JOB_STATUSES = ['open', 'in_progress', 'completed', 'cancelled'] as const;

/**
 * A job as MES sync APIs model it: the customer-facing order (often the ERP sales order) whose parts are
 * made by work orders. The top of the job → part → operation nesting.
 */
export const jobSchema = z
  .strictObject({
    ...identityFields,
    job_number: text().describe('The job number people read ("JOB-2024-001").'),
    customer: z.string().nullish().describe('Customer name, as shown to the shop floor.'),
    customer_external_id: z.string().nullish().describe('The customer record (entity customer), when synced.'),
    due_date: date().nullish().describe('Promised delivery date.'),
    priority: integer().nullish().describe('Scheduling priority.'),
    status: z.enum(JOB_STATUSES).nullish().describe('open, in_progress, completed or cancelled.'),
    notes: z.string().nullish().describe('Free text for the shop floor.'),
    changed_at: dateTime().nullish().describe("The source's last change of the record."),
    ...extraField,
  })
  .describe('Job (sales order as the MES sees it).');

export type Job = z.infer<typeof jobSchema>;
