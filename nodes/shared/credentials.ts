import {
  parseJsonObject,
  parseMesConnectionConfig,
  parseSapConnectionConfig,
  parseStoreConfig,
  TaktError,
  type MesConnectionConfig,
  type SapConnectionConfig,
  type StoreConfig,
} from '@takt/runtime';
import type {
  ICredentialDataDecryptedObject,
  IExecuteFunctions,
  IPollFunctions,
  IWebhookFunctions,
} from 'n8n-workflow';

/**
 * Credential data → the runtime's validated connection configs. The field names here are the credential
 * classes' (credentials/*.credentials.ts); a bad value fails as CONFIG_INVALID naming the field. Works on raw
 * credential data, so the credential tests (which get data, not a context) share it with the nodes.
 */

/** The contexts a Takt node reads its credentials from. */
export type TaktContext = IExecuteFunctions | IPollFunctions | IWebhookFunctions;

export const SAP_BASIC_TYPE = 'taktSapApi';
export const SAP_CLIENT_CREDENTIALS_TYPE = 'taktSapOAuth2Api';
export const MES_CREDENTIAL = 'taktMesApi';
export const STORE_CREDENTIAL = 'taktStateStore';

export type SapCredentialType = typeof SAP_BASIC_TYPE | typeof SAP_CLIENT_CREDENTIALS_TYPE;

/** SAP connection from `taktSapApi` (Basic) or `taktSapOAuth2Api` (client credentials) data. */
export function sapConfigFromCredential(
  type: SapCredentialType,
  data: ICredentialDataDecryptedObject,
): SapConnectionConfig {
  const auth =
    type === SAP_BASIC_TYPE
      ? { type: 'basic', user: data.user, password: data.password }
      : {
          type: 'oauth2',
          tokenUrl: data.tokenUrl,
          clientId: data.clientId,
          clientSecret: data.clientSecret,
          scope: text(data.scope),
        };
  return parseSapConnectionConfig({
    baseUrl: data.baseUrl,
    auth,
    sapClient: text(data.sapClient),
    language: text(data.language),
    odataVersion: text(data.odataVersion),
    tls: { rejectUnauthorized: data.allowUnauthorizedCerts !== true, ca: text(data.ca) },
    connectionName: text(data.connectionName),
    services: servicesOf(data.services),
  });
}

/** Shop-floor REST connection from `taktMesApi` data. */
export function mesConfigFromCredential(data: ICredentialDataDecryptedObject): MesConnectionConfig {
  const authentication = text(data.authentication) ?? 'none';
  const auth =
    authentication === 'apiKey'
      ? { type: 'apiKey', header: text(data.keyHeaderName), value: data.apiKey }
      : authentication === 'bearer'
        ? { type: 'bearer', token: data.bearerToken }
        : authentication === 'basic'
          ? { type: 'basic', username: data.user, password: data.password }
          : { type: authentication };
  return parseMesConnectionConfig({
    baseUrl: data.baseUrl,
    profile: text(data.profile) ?? 'mes-sync-api',
    custom: data.profile === 'custom' ? parseJsonObject(data.customProfile, 'Custom Profile (JSON)') : undefined,
    auth,
    nesting: text(data.nesting),
    connectionName: text(data.connectionName),
  });
}

/** State store from `taktStateStore` data; no credential means the default SQLite file. */
export function storeConfigFromCredential(data: ICredentialDataDecryptedObject | undefined): StoreConfig {
  if (data === undefined) return { kind: 'sqlite' };
  const kind = text(data.storeType) ?? 'sqlite';
  return parseStoreConfig(
    kind === 'postgres'
      ? { kind, connectionString: data.connectionString, schema: text(data.schema) }
      : { kind, file: text(data.sqliteFile) },
  );
}

/** The SAP connection of a node with an `authentication` parameter ('basic' | 'oAuth2'). */
export async function getSapConnection(ctx: TaktContext, itemIndex = 0): Promise<SapConnectionConfig> {
  const type = sapCredentialType(ctx, itemIndex);
  return sapConfigFromCredential(type, await credentialData(ctx, type, itemIndex));
}

/** The shop-floor REST connection of a node that has the `taktMesApi` credential. */
export async function getMesConnection(ctx: TaktContext, itemIndex = 0): Promise<MesConnectionConfig> {
  return mesConfigFromCredential(await credentialData(ctx, MES_CREDENTIAL, itemIndex));
}

/** The node's state store; the credential is optional, and without it the default SQLite file is used. */
export async function getStoreConfig(ctx: TaktContext): Promise<StoreConfig> {
  const assigned = ctx.getNode().credentials?.[STORE_CREDENTIAL];
  if (assigned === undefined) return storeConfigFromCredential(undefined);
  return storeConfigFromCredential(await credentialData(ctx, STORE_CREDENTIAL, 0));
}

function credentialData(ctx: TaktContext, type: string, itemIndex: number): Promise<ICredentialDataDecryptedObject> {
  return isExecuteContext(ctx)
    ? ctx.getCredentials<ICredentialDataDecryptedObject>(type, itemIndex)
    : ctx.getCredentials<ICredentialDataDecryptedObject>(type);
}

/** Which SAP credential the node's `authentication` parameter selects. */
export function sapCredentialType(ctx: TaktContext, itemIndex = 0): SapCredentialType {
  const authentication = parameter(ctx, 'authentication', itemIndex, 'basic');
  return authentication === 'oAuth2' ? SAP_CLIENT_CREDENTIALS_TYPE : SAP_BASIC_TYPE;
}

/**
 * A node parameter from any Takt context: execute functions take an item index, poll and webhook functions do
 * not (their second argument is the fallback), so the index is passed only where it means one.
 */
export function parameter(ctx: TaktContext, name: string, itemIndex: number, fallback: unknown): unknown {
  return isExecuteContext(ctx) ? ctx.getNodeParameter(name, itemIndex, fallback) : ctx.getNodeParameter(name, fallback);
}

function isExecuteContext(ctx: TaktContext): ctx is IExecuteFunctions {
  return typeof (ctx as Partial<IExecuteFunctions>).getInputData === 'function';
}

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** `API_X=/path` lines (or a JSON object) → service roots; absent when empty. */
function servicesOf(value: unknown): Record<string, string> | undefined {
  const raw = text(value);
  if (raw === undefined) return undefined;
  if (raw.startsWith('{')) return parseJsonObject(raw, 'Service Paths') as Record<string, string>;
  const services: Record<string, string> = {};
  for (const line of raw.split(/\r?\n/)) {
    const entry = line.trim();
    if (entry === '') continue;
    const split = entry.indexOf('=');
    if (split <= 0) {
      throw new TaktError('CONFIG_INVALID', `Service Paths: write each line as SERVICE_NAME=/path (got "${entry}")`);
    }
    services[entry.slice(0, split).trim()] = entry.slice(split + 1).trim();
  }
  return services;
}
