import { z } from 'zod';

/**
 * Field shapes shared by every canonical entity. Canonical records are plain JSON that survives a round trip
 * through any store or host unchanged, so the number-like values that JSON numbers cannot carry exactly are
 * strings: decimals always, integers only beyond 2^53. Each value has exactly one accepted spelling where
 * that is cheap to enforce, because the content hash (sync/content-hash.ts) hashes what it is given.
 */

/** A decimal as a string ("12.5", "-3", "0.000"): JSON numbers would round quantities and money. */
export const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;
const UNSIGNED_DECIMAL_PATTERN = /^\d+(\.\d+)?$/;
const DIGITS_PATTERN = /^-?\d+$/;

export const decimal = (): z.ZodString => z.string().regex(DECIMAL_PATTERN, 'Expected a decimal string like "12.5"');

/** Quantities and durations: a decimal string that is not negative. */
export const unsignedDecimal = (): z.ZodString =>
  z.string().regex(UNSIGNED_DECIMAL_PATTERN, 'Expected a non-negative decimal string like "12.5"');

/**
 * An integer: a JSON number while it is safe (|n| ≤ 2^53 − 1), a digit string beyond that. A small integer
 * written as a string is refused so that one value has one spelling (and one content hash).
 */
export const integer = () =>
  z.union([
    z.number().int().refine(Number.isSafeInteger, 'Integer outside ±(2^53 − 1): send it as a digit string'),
    z
      .string()
      .regex(DIGITS_PATTERN, 'Expected an integer')
      .refine((s) => !Number.isSafeInteger(Number(s)), 'Integers within ±(2^53 − 1) must be JSON numbers'),
  ]);

/** An instant: ISO 8601 with `Z` or an offset, so it never depends on the reader's time zone. */
export const dateTime = () =>
  z.iso.datetime({ offset: true, message: 'Expected an ISO 8601 date-time with Z or an offset' });

/** A calendar date without a time or zone (a posting date, a due date): `YYYY-MM-DD`. */
export const date = () => z.iso.date({ message: 'Expected an ISO 8601 date (YYYY-MM-DD)' });

export const text = (): z.ZodString => z.string().min(1, 'Must not be empty');

/**
 * Identity in the MES sync-API style: the id the record has in the system it came from, and which system
 * that is. Together they key the id map and every upsert.
 */
export const identityFields = {
  external_id: text().max(255).describe('Id of the record in the system it came from (the ERP key).'),
  external_source: text()
    .max(100)
    .describe('Which system the external id belongs to, as configured on the connection ("sap-prd-100").'),
} as const;

/** Room for integrator-specific values without loosening the schema: any JSON under `extra`. */
export const extraField = {
  extra: z
    .record(z.string(), z.json())
    .nullish()
    .describe('Integrator-specific values that have no canonical field, kept as JSON.'),
} as const;

/** For entities with a start and an optional end: the end may not precede the start. */
export function endNotBeforeStart(startKey: string, endKey: string) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    const start = value[startKey];
    const end = value[endKey];
    if (typeof start !== 'string' || typeof end !== 'string') return;
    if (Date.parse(end) < Date.parse(start)) {
      ctx.addIssue({ code: 'custom', path: [endKey], message: `${endKey} is before ${startKey}` });
    }
  };
}
