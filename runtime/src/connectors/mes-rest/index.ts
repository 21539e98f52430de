export { authHeaders, type AuthHeaders } from './auth-headers';
export {
  DEFAULT_RATE_LIMIT_HEADERS,
  type BulkEndpoint,
  type NestedChildren,
  type RateLimitHeaderNames,
  type RestAuth,
  type RestEntityConfig,
  type RestUpsertConfig,
  type ResultPaths,
  type UpsertMethod,
} from './config';
export { MesRestConnector } from './mes-rest-connector';
export {
  MES_SYNC_DEPENDENCY_ORDER,
  MES_SYNC_MAX_BULK,
  mesSyncApiProfile,
  type MesSyncApiOptions,
} from './mes-sync-api-profile';
export { rateLimitResumeAt } from './rate-limit-headers';
