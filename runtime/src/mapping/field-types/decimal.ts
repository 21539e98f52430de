import type { NumberFormat } from '../types';
import { describe, type FieldCodec, invalid, ok, type Converted } from './codec';

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Exponents beyond this would expand to absurdly long strings; no ERP quantity comes near it. */
const MAX_EXPONENT = 400;

/**
 * DECIMAL, canonically an exact decimal string in normal form: no sign for zero, no '+', no leading zeros
 * before the point except one, no trailing zeros after it, no point without a fraction, no exponent. So
 * "0012.500" → "12.5", "-0.0" → "0", "1.5e-3" → "0.0015", and "0.000000000000000001" stays exactly that.
 * Normal form makes equal quantities equal strings whichever ERP sent them (SAP's "12.500", NetSuite's 12.5),
 * which the upsert planner's content hash relies on. The arithmetic is on digits only: a decimal string never
 * passes through a float. A JSON number is taken through its shortest round-trip string (what JSON.stringify
 * writes), which is the best any reader can do once the JSON parser made it a float.
 */
export function readDecimal(value: unknown): Converted {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return invalid(`expected a decimal, got ${describe(value)}`);
    text = String(value);
  } else if (typeof value === 'string') {
    text = value;
  } else {
    return invalid(`expected a decimal, got ${describe(value)}`);
  }
  const normal = normalizeDecimal(text);
  return normal === undefined ? invalid(`expected a decimal, got ${describe(value)}`) : ok(normal);
}

/** The normal form of a decimal literal, or undefined when the text is not one. */
export function normalizeDecimal(text: string): string | undefined {
  const match = DECIMAL_TEXT.exec(text);
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = '', exponentText] = match;
  if (whole === '' && fraction === '') return undefined;
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  if (Math.abs(exponent) > MAX_EXPONENT) return undefined;

  // value = 0.<digits> × 10^point, which makes shifting by the exponent a matter of moving `point`.
  let digits = whole + fraction;
  let point = whole.length + exponent;
  const leading = /^0*/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(leading);
  point -= leading;
  digits = digits.replace(/0+$/, '');
  if (digits === '') return '0';

  let body: string;
  if (point <= 0) body = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) body = digits + '0'.repeat(point - digits.length);
  else body = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return sign === '-' ? `-${body}` : body;
}

export function decimalCodec(numberFormat: NumberFormat = 'string'): FieldCodec {
  return {
    fromErp: readDecimal,
    fromCanonical: readDecimal,
    toErp: (value) => {
      const text = String(value);
      if (numberFormat === 'string') return ok(text);
      const asNumber = Number(text);
      // Only write a number that reads back as the same decimal; anything else would change the quantity.
      if (normalizeDecimal(String(asNumber)) !== text) {
        return invalid(`decimal ${text} does not fit a JSON number exactly; use numberFormat 'string'`);
      }
      return ok(asNumber);
    },
  };
}
