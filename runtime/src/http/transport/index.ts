export { classifyFailure } from './classify';
export { classifyStatus, type FailedResponse } from './classify-status';
export { BODY_SNIPPET_BYTES, type RequestContext, type TransportErrorDetails } from './failure-facts';
export {
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUTS,
  HttpClient,
  type HttpClientOptions,
  type HttpRequest,
  type HttpResponse,
  type HttpTimeouts,
  type RequestBody,
} from './http-client';
export { parseNoProxy, type NoProxyList } from './no-proxy';
export { proxyFor, resolveProxy, type ProxyConfig, type ProxyEndpoint, type ProxyPlan } from './proxy';
export type { Query, QueryValue } from './request-url';
export type { ResponseBodies, ResponseKind } from './response-body';
export { resolveTlsOptions, type ResolvedTls, type TlsConnectOptions, type TlsOptions } from './tls-options';
