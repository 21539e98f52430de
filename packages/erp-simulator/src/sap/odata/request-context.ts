import type { IncomingHttpHeaders } from 'node:http';
import type { SimRecord } from '../model/edm';
import type { Undo } from '../data/data-store';
import type { SapData } from '../data/sap-data';
import type { ExposedSet, ServiceDef } from '../services';

/** Decides whether a write must fail validation on purpose (the failing-changeset fault). */
export type ValidationFault = (entitySet: string, record: SimRecord) => string | undefined;

/** Everything a router needs to answer one (outer or $batch inner) request of one service. */
export interface ODataContext {
  readonly service: ServiceDef;
  readonly data: SapData;
  /** Absolute URL of the service root, as the client called it (for __metadata.uri and next links). */
  readonly rootUrl: string;
  readonly user: string;
  /** sap-language, lower case, for V2 error bodies. */
  readonly language: string;
  readonly maxPageSize: number;
  readonly now: () => number;
  readonly validationFault: ValidationFault;
  /** Inside a changeset / atomicity group: every successful write leaves its undo here (reference A.9). */
  readonly journal?: Undo[];
}

/** One request to a service root: the outer HTTP request or one operation of a $batch. */
export interface ODataRequest {
  readonly method: string;
  /** Path below the service root, starting with '/' (or empty for the root). */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface ODataResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** Objects are sent as JSON, strings as they are. */
  readonly body?: unknown;
}

export function exposedSet(service: ServiceDef, name: string): ExposedSet | undefined {
  return service.sets.find((s) => s.name === name);
}
