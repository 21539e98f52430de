/** One collection response, unwrapped from its version's envelope. */
export interface ODataCollection {
  readonly records: Record<string, unknown>[];
  /** The server's next link as sent (`__next` / `@odata.nextLink`), not yet resolved. */
  readonly nextLink?: string;
  /** The inline count, when asked for and given. */
  readonly count?: number;
}

export type ODataRecord = Record<string, unknown>;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
