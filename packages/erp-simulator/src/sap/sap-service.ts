import type { SimRequest, SimResponse, SimService } from '../service';
import { tokenEndpoint } from './auth/token-endpoint';
import { CsrfSessions } from './auth/csrf-sessions';
import { OAuthTokens } from './auth/oauth-tokens';
import { dispatchBatch } from './batch/dispatch-batch';
import { SapData } from './data/sap-data';
import type { ODataContext, ODataRequest, ODataResponse, ValidationFault } from './odata/request-context';
import { isGatePass, passGate } from './sap-gate';
import { OAUTH_TOKEN_PATH, SAP_DEFAULTS, type SapOptions } from './sap-options';
import { findService, SAP_SERVICES, type ServiceDef } from './services';
import { handleV2 } from './v2/v2-router';
import { handleV4 } from './v4/v4-router';

export interface SapServiceOptions {
  readonly seed: number;
  readonly size: number;
  readonly sap?: SapOptions;
  readonly validationFault?: ValidationFault;
}

/** What tests and the CLI can reach in the SAP stand-in. */
export interface SapHandle {
  readonly client: string;
  readonly users: readonly { user: string; password: string }[];
  readonly oauthClients: readonly { clientId: string; clientSecret: string }[];
  readonly maxPageSize: number;
  /** Service roots below the server URL ("/sap/opu/odata/sap/API_EQUIPMENT", …). */
  readonly serviceRoots: readonly { name: string; version: 'v2' | 'v4'; path: string; entitySets: string[] }[];
  readonly tokenPath: string;
  /** Direct data access: records in the simulator's internal form (dates as ms, decimals as strings). */
  readonly data: SapData;
  /** Drops every security session: the next write with an old token gets 403 + X-CSRF-Token: Required. */
  expireCsrfTokens(): number;
  /** Invalidates every issued bearer token: the next request with one gets 401. */
  expireOAuthTokens(): number;
}

/** The SAP Gateway stand-in: OAuth token endpoint, logon and CSRF gate, then the V2 or V4 service router. */
export function createSapService(options: SapServiceOptions): { service: SimService; handle: SapHandle } {
  const sap = options.sap ?? {};
  const client = sap.client ?? SAP_DEFAULTS.client;
  const users = sap.users ?? SAP_DEFAULTS.users;
  const oauthClients = sap.oauthClients ?? SAP_DEFAULTS.oauthClients;
  const maxPageSize = sap.maxPageSize ?? SAP_DEFAULTS.maxPageSize;
  const ttl = sap.tokenTtlSeconds ?? SAP_DEFAULTS.tokenTtlSeconds;
  const data = new SapData(options.seed, options.size);
  const tokens = new OAuthTokens();
  const sessions = new CsrfSessions();
  const validationFault: ValidationFault = options.validationFault ?? (() => undefined);
  const gate = { client, systemId: SAP_DEFAULTS.systemId, users, tokens, sessions };

  const handle = (request: SimRequest): SimResponse => {
    const path = `/sap${request.url.pathname}`;
    if (path === OAUTH_TOKEN_PATH) {
      return tokenEndpoint(request.method, request.headers, request.body, oauthClients, tokens, ttl);
    }
    const found = findService(path);
    if (!found) return { status: 404, headers: { 'content-type': 'text/plain' }, body: `No service at ${path}` };
    const pass = passGate(gate, request.method, request.url.searchParams, request.headers);
    if (!isGatePass(pass)) return pass;
    const host = request.headers.host ?? 'localhost';
    const context: ODataContext = {
      service: found.service,
      data,
      rootUrl: `http://${host}${found.service.root}`,
      user: pass.user,
      language: pass.language,
      maxPageSize,
      now: Date.now,
      validationFault,
    };
    const odataRequest: ODataRequest = {
      method: request.method === 'HEAD' ? 'GET' : request.method,
      path: found.rest,
      query: request.url.searchParams,
      headers: request.headers,
      body: request.body,
    };
    const answer: ODataResponse =
      found.rest === '/$batch'
        ? dispatchBatch(context, odataRequest)
        : found.service.version === 'v2'
          ? handleV2(context, odataRequest)
          : handleV4(context, odataRequest);
    return {
      status: answer.status,
      headers: { ...answer.headers, ...pass.headers },
      ...(request.method === 'HEAD' || answer.body === undefined ? {} : { body: answer.body }),
    };
  };

  return {
    service: { name: 'sap', basePath: '/sap', handle },
    handle: {
      client,
      users,
      oauthClients,
      maxPageSize,
      serviceRoots: SAP_SERVICES.map((s: ServiceDef) => ({
        name: s.name,
        version: s.version,
        path: s.root,
        entitySets: s.sets.map((set) => set.name),
      })),
      tokenPath: OAUTH_TOKEN_PATH,
      data,
      expireCsrfTokens: () => sessions.expireAll(),
      expireOAuthTokens: () => tokens.expireAll(),
    },
  };
}
