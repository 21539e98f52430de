/**
 * OData V2 JSON dates: `/Date(<ms since epoch, UTC>)/` for Edm.DateTime and `/Date(<ms>±hhmm)/` for
 * Edm.DateTimeOffset, where the suffix is the original zone's offset in minutes ("+0060" = one hour). The
 * milliseconds are UTC either way, so the suffix never moves the instant; it is checked for form only.
 * https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-odata/a079a72d-31c1-44df-b315-3972c4c85e57
 */
const V2_DATE = /^\/Date\((-?\d{1,16})(?:[+-]\d{4})?\)\/$/;

/** Epoch milliseconds of a V2 date literal, or undefined when the text is not one. */
export function parseODataV2Date(text: string): number | undefined {
  const match = V2_DATE.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** Written without an offset suffix: Edm.DateTime, which SAP Gateway accepts for both date-time types. */
export function formatODataV2Date(epochMs: number): string {
  return `/Date(${epochMs})/`;
}
