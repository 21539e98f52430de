import type { IncomingHttpHeaders } from 'node:http';

/**
 * The seam between the simulator's HTTP server (routing, auth-agnostic faults, request log) and the systems
 * it imitates. Each simulated system (SAP Gateway OData, the MES sync API, later Dynamics and Oracle) is a
 * SimService mounted under its own base path; the server hands it whole requests and writes its answers.
 */
export interface SimRequest {
  readonly method: string;
  /** Path and query as sent, below the service's base path (always starts with '/'). */
  readonly url: URL;
  /** Lower-case names, as node:http gives them. */
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** Monotonic id in the server's request log. */
  readonly id: number;
}

export interface SimResponse {
  readonly status: number;
  /** `set-cookie` may repeat. */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  /** Objects are sent as JSON; strings and Buffers as they are. */
  readonly body?: unknown;
}

export interface SimService {
  /** Short name for logs and the control endpoint ("sap", "mes"). */
  readonly name: string;
  /** Path prefix this service answers under, e.g. "/sap/opu/odata/sap" or "/mes/api/v1". */
  readonly basePath: string;
  handle(request: SimRequest): Promise<SimResponse> | SimResponse;
}
