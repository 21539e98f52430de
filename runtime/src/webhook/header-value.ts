/** Headers as hosts hand them over: node:http's lower-case record (arrays for repeats) or a Fetch Headers. */
export type WebhookHeaders = Readonly<Record<string, string | readonly string[] | undefined>> | Headers;

/** One header value, case-insensitive; repeated headers are joined with ", " as HTTP allows. */
export function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  const lower = name.toLowerCase();
  if (typeof Headers !== 'undefined' && headers instanceof Headers) return headers.get(lower) ?? undefined;
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  let value = record[lower];
  if (value === undefined) {
    const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === lower);
    value = key === undefined ? undefined : record[key];
  }
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.join(', ');
}
