import type { IncomingHttpHeaders } from 'node:http';

/** One request as the log keeps it: enough for a test to assert on, never a secret. */
export interface RequestLogEntry {
  readonly id: number;
  /** ISO time the request arrived. */
  readonly time: string;
  readonly service: string;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  /** 0 when the connection was reset instead of answered. */
  readonly status: number;
  readonly durationMs: number;
  /** Ids of the fault rules that fired. */
  readonly faults: readonly string[];
}

/** Headers worth asserting on. Credentials, tokens and cookie values are reduced to what they reveal safely. */
const KEPT = [
  'accept',
  'content-type',
  'if-match',
  'prefer',
  'sap-client',
  'sap-language',
  'x-http-method',
  'x-csrf-token',
];

export function loggedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of KEPT) {
    const value = headers[name];
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    // A CSRF token is a session secret; only the protocol words are worth keeping.
    kept[name] = name === 'x-csrf-token' && !/^(fetch|required)$/i.test(text) ? '<token>' : text;
  }
  const authorization = headers.authorization;
  if (authorization) kept.authorization = `${authorization.split(' ')[0] ?? ''} <redacted>`;
  if (headers.cookie) {
    kept.cookie = headers.cookie
      .split(';')
      .map((c) => c.split('=')[0]?.trim() ?? '')
      .filter((n) => n !== '')
      .join(', ');
  }
  return kept;
}

/** A bounded log of the most recent requests (oldest dropped first). */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private dropped = 0;

  constructor(readonly capacity = 10_000) {}

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) {
      const excess = this.entries.length - this.capacity;
      this.entries.splice(0, excess);
      this.dropped += excess;
    }
  }

  /** Entries, oldest first, optionally narrowed to one service, method or path pattern. */
  list(filter: { service?: string; method?: string; path?: RegExp } = {}): RequestLogEntry[] {
    return this.entries.filter(
      (e) =>
        (!filter.service || e.service === filter.service) &&
        (!filter.method || e.method === filter.method.toUpperCase()) &&
        (!filter.path || filter.path.test(e.path)),
    );
  }

  get size(): number {
    return this.entries.length;
  }

  /** How many entries fell out of the window since the last clear. */
  get droppedCount(): number {
    return this.dropped;
  }

  clear(): void {
    this.entries = [];
    this.dropped = 0;
  }
}
