export {
  OAuth2ClientCredentials,
  basicAuth,
  type SapAuth,
  type SapAuthOptions,
  type SapBasicAuthOptions,
  type SapOAuth2ClientCredentialsOptions,
  type SapX509AuthOptions,
} from './auth';
export { CookieJar } from './cookie-jar';
export { CsrfToken, isCsrfRejection } from './csrf';
export { deltaFilter, deltaLiteral } from './delta-literal';
export {
  SAP_ENTITY_PRESETS,
  resolveEntities,
  type SapEntity,
  type SapEntityConfig,
  type SapServiceConfig,
} from './entities';
export { keyLabel, keyPredicate, type KeyType } from './key-predicate';
export { parseV2Date } from './odata-date';
export { readCollection, readEntity, recordEtag } from './odata-envelope';
export { ODataPaging, type PageRequest } from './odata-next-link';
export type { ODataCollection } from './odata-page';
export type { ODataVersion } from './odata-version';
export { SapConnector } from './sap-connector';
export { parseSapErrorBody, sapErrorFromResponse, type SapErrorBody } from './sap-error';
export { DEFAULT_PAGE_SIZE, type SapConnectorOptions } from './sap-options';
