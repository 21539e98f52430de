import type { Dispatcher } from 'undici';

import type { HttpTimeouts, ProxyConfig, RateLimitOptions, RetryPolicy, TlsOptions } from '../../http';
import type { Logger } from '../../log';
import type { Clock } from '../../time';
import type { SapAuthOptions } from './auth/sap-auth';
import type { SapEntityConfig, SapServiceConfig } from './entities';
import type { ODataVersion } from './odata-version';

export interface SapConnectorOptions {
  /**
   * Names the connection across the process: its rate limit and Retry-After pause are shared by everyone using
   * the same id (the credential or config-node id; never something secret).
   */
  readonly id: string;
  /** Scheme, host and port of the SAP system (`https://s4.example.com:44300`); service paths go below it. */
  readonly baseUrl: string;
  /** Default 'v2' (the classic `API_*_SRV` services); per service in `services`. */
  readonly odataVersion?: ODataVersion;
  /**
   * Service roots by service name, when they differ from `/sap/opu/odata/sap/<SERVICE>` (a `;v=0002`
   * version, a V4 binding, a reverse proxy path): `{ API_EQUIPMENT: '/sap/opu/odata/sap/API_EQUIPMENT;v=0002' }`.
   */
  readonly services?: Readonly<Record<string, SapServiceConfig>>;
  /** Entity sets beyond the presets (custom `Z…_SRV` services), or presets redefined. */
  readonly customEntities?: readonly SapEntityConfig[];
  /** `sap-client` (three digits) on every request (reference A.2). */
  readonly client?: string;
  /** `sap-language` (two letters) on every request. */
  readonly language?: string;
  readonly auth: SapAuthOptions;
  /** Records per page requested (`$top`); the server may page smaller. Default 1000. */
  readonly pageSize?: number;
  /**
   * Writes per changeset in a `$batch` request. 1 (default): every record is its own atomic unit, so a
   * rejected record fails alone. N > 1: N consecutive writes commit or roll back together (a V2 changeset, a V4
   * atomicity group), for records that only make sense together.
   */
  readonly changesetSize?: number;
  /** The entity `test()` checks. Default: the first preset ('production-orders'). */
  readonly testEntity?: string;
  readonly rateLimit?: RateLimitOptions;
  readonly retry?: Partial<RetryPolicy>;
  readonly proxy?: ProxyConfig;
  readonly tls?: TlsOptions;
  readonly timeouts?: Partial<HttpTimeouts>;
  readonly maxResponseBytes?: number;
  /** An undici dispatcher for every request (contract tests pass a MockAgent). */
  readonly dispatcher?: Dispatcher;
  readonly clock?: Clock;
  /**
   * Where the connector's few log lines go (a service whose `$metadata` cannot be read, see metadata-cache.ts);
   * records are redacted. Default: warnings as JSON lines on stderr, where n8n and Node-RED collect them.
   */
  readonly logger?: Logger;
}

export const DEFAULT_PAGE_SIZE = 1000;
