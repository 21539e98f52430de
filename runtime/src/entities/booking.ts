import { z } from 'zod';
import { dateTime, extraField, identityFields, text } from './fields';

export const BOOKING_EVENTS = ['START', 'END'] as const;

/**
 * One row of a production database's booking table: a START or END event of an order on a machine. The
 * bookings sharing an order code, paired in time order, give the same context an order-table row gives.
 */
export const bookingSchema = z
  .strictObject({
    ...identityFields,
    timestamp: dateTime().describe('When the event was booked.'),
    order_code: text().describe('The order the booking belongs to; groups the events.'),
    product_code: z.string().nullish().describe('What is produced.'),
    machine_code: text().describe('Where.'),
    event: z.enum(BOOKING_EVENTS).describe('START or END.'),
    ...extraField,
  })
  .describe('Booking (START / END event of an order on a machine).');

export type Booking = z.infer<typeof bookingSchema>;
