import { z } from 'zod';
import { date, dateTime, endNotBeforeStart, extraField, identityFields, text, unsignedDecimal } from './fields';

/**
 * Production data: one confirmation of work done on a work order operation — good, scrap and rework
 * quantities, when it ran, and the time figures OEE is computed from (availability = run / planned time,
 * performance = ideal cycle time × total count / run time, quality = good / total count). Confirmations are
 * documents: a correction is a reversal plus a new record, never an edit.
 */
export const productionDataSchema = z
  .strictObject({
    ...identityFields,
    work_order_external_id: text().describe('The work order confirmed.'),
    operation_number: z.string().nullish().describe('The operation confirmed ("0010"); absent for order level.'),
    machine_external_id: z.string().nullish().describe('Machine the quantities were produced on.'),
    work_center: z.string().nullish().describe('Work center (code) the work was done at.'),
    good_quantity: unsignedDecimal().describe('Good (yield) quantity.'),
    scrap_quantity: unsignedDecimal().nullish().describe('Scrap quantity.'),
    rework_quantity: unsignedDecimal().nullish().describe('Quantity that needs rework.'),
    unit: z.string().nullish().describe('Unit of measure of the quantities.'),
    final: z.boolean().nullish().describe('True for the final confirmation of the operation.'),
    start: dateTime().nullish().describe('When the confirmed work started.'),
    end: dateTime().nullish().describe('When the confirmed work ended.'),
    posting_date: date().nullish().describe('Accounting date of the confirmation.'),
    planned_time_minutes: unsignedDecimal().nullish().describe('OEE: planned production time, in minutes.'),
    run_time_minutes: unsignedDecimal().nullish().describe('OEE: operating (run) time, in minutes.'),
    setup_time_minutes: unsignedDecimal().nullish().describe('Setup time, in minutes.'),
    ideal_cycle_time_seconds: unsignedDecimal().nullish().describe('OEE: ideal time for one unit, in seconds.'),
    reversed: z.boolean().nullish().describe('True when this confirmation was cancelled by a reversal.'),
    operator: z.string().nullish().describe('Who confirmed (user or badge id).'),
    text: z.string().nullish().describe('Confirmation text.'),
    idempotency_key: z.uuid().nullish().describe('UUID the ERP keeps to recognise a re-sent confirmation.'),
    ...extraField,
  })
  .superRefine(endNotBeforeStart('start', 'end'))
  .describe('Production data (confirmation with quantities, times and OEE inputs).');

export type ProductionData = z.infer<typeof productionDataSchema>;
