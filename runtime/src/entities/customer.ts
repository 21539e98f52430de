import { z } from 'zod';
import { dateTime, extraField, identityFields, text } from './fields';

/** A customer (business partner) that jobs are made for. */
export const customerSchema = z
  .strictObject({
    ...identityFields,
    customer_number: z.string().nullish().describe('Customer number in the ERP, when it differs from external_id.'),
    name: text().describe('Name ("Acme Corp").'),
    street: z.string().nullish().describe('Street and house number.'),
    postal_code: z.string().nullish().describe('Postal code.'),
    city: z.string().nullish().describe('City.'),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'Expected an ISO 3166-1 alpha-2 country code')
      .nullish()
      .describe('ISO 3166-1 alpha-2 country code ("DE").'),
    email: z.email().nullish().describe('Contact e-mail address.'),
    phone: z.string().nullish().describe('Contact phone number.'),
    tax_id: z.string().nullish().describe('VAT / tax registration number.'),
    changed_at: dateTime().nullish().describe("The source's last change of the record."),
    ...extraField,
  })
  .describe('Customer.');

export type Customer = z.infer<typeof customerSchema>;
