import { MockAgent } from 'undici';

import { SapConnector } from '../sap-connector';
import type { SapConnectorOptions } from '../sap-options';

/**
 * A scripted SAP Gateway on undici's MockAgent (network off): routes are tried in order, each answering a
 * number of times or forever, and every exchange is recorded for assertions. Contract tests replay the
 * documented payloads of reference erp-protocols.md A through it.
 */
export const ORIGIN = 'https://s4.example.com:44300';
export const V2_ROOT = '/sap/opu/odata/sap/API_PRODUCTION_ORDER_2_SRV';
export const PASSWORD = 'canary-password-7731';

export interface Exchange {
  readonly method: string;
  /** Path and query as sent, decoded for readable assertions. */
  readonly path: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string | string[]>>;
}

type Matcher = (exchange: Exchange) => boolean;
type Answer = Reply | ((exchange: Exchange) => Reply);

interface Route {
  readonly match: Matcher;
  readonly answer: Answer;
  remaining: number;
}

export interface MockSap {
  readonly agent: MockAgent;
  readonly exchanges: Exchange[];
  /** Answers matching requests `times` times (default: always). Earlier routes win. */
  on(method: string, path: string | RegExp | Matcher, answer: Answer, times?: number): void;
  close(): Promise<void>;
}

/** `origins`: every origin the test talks to (the SAP host, an OAuth token host). */
export function mockSap(origins: readonly string[] = [ORIGIN]): MockSap {
  const agent = new MockAgent({ connections: 1 });
  agent.disableNetConnect();
  const routes: Route[] = [];
  const exchanges: Exchange[] = [];
  for (const origin of origins) intercept(origin);
  function intercept(origin: string): void {
    agent
      .get(origin)
      .intercept({ path: () => true, method: () => true })
      .reply((options) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries((options.headers ?? {}) as Record<string, string>)) {
          headers[name.toLowerCase()] = String(value);
        }
        const url = new URL(options.path, origin);
        const body =
          typeof options.body === 'string'
            ? options.body
            : Buffer.isBuffer(options.body)
              ? options.body.toString('utf8')
              : '';
        const exchange: Exchange = {
          method: options.method,
          path: decodeURIComponent(options.path),
          url,
          headers,
          body,
        };
        exchanges.push(exchange);
        const route = routes.find((r) => r.remaining > 0 && r.match(exchange));
        if (!route) {
          return { statusCode: 599, data: `no route for ${exchange.method} ${exchange.path}` };
        }
        route.remaining -= 1;
        const reply = typeof route.answer === 'function' ? route.answer(exchange) : route.answer;
        const data =
          reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
        const contentType = typeof reply.body === 'object' ? { 'content-type': 'application/json' } : {};
        return { statusCode: reply.status, data, responseOptions: { headers: { ...contentType, ...reply.headers } } };
      })
      .persist();
  }
  return {
    agent,
    exchanges,
    on(method, path, answer, times = Number.POSITIVE_INFINITY) {
      const match: Matcher =
        typeof path === 'function'
          ? path
          : (e) =>
              e.method === method &&
              (typeof path === 'string' ? e.url.pathname === path : path.test(decodeURIComponent(e.url.pathname)));
      routes.push({ match: (e) => e.method === method && match(e), answer, remaining: times });
    },
    close: () => agent.close(),
  };
}

let sequence = 0;

/** A connector on the mock: Basic auth, client 100, language EN, fast retries. */
export function connectorOn(mock: MockSap, extra: Partial<SapConnectorOptions> = {}): SapConnector {
  sequence += 1;
  return new SapConnector({
    id: `sap-contract-${process.pid}-${sequence}`,
    baseUrl: ORIGIN,
    client: '100',
    language: 'EN',
    auth: { type: 'basic', username: 'TAKT_RFC', password: PASSWORD },
    proxy: 'none',
    retry: { baseDelayMs: 1, maxDelayMs: 20, maxElapsedMs: 5_000 },
    dispatcher: mock.agent,
    ...extra,
  });
}

/** Drains a read into its pages. */
export async function pagesOf<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const pages: T[] = [];
  for await (const page of iterable) pages.push(page);
  return pages;
}
