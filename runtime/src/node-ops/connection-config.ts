import { z } from 'zod';

import type { ConnectionTestResult, Connector } from '../connectors';
import { MesRestConnector, mesSyncApiProfile, type RestAuth, type RestUpsertConfig } from '../connectors/mes-rest';
import { SapConnector, type SapAuthOptions, type SapEntityConfig } from '../connectors/sap';
import { TaktError } from '../errors';

/**
 * What a host's credential or config node holds about one ERP or shop-floor connection, validated once, and
 * how it becomes a connector. Both hosts build connectors only through here, so a field means the same in n8n
 * and Node-RED and a bad value fails with the same message naming the field to fix.
 */

const httpUrl = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .trim()
    .min(1, `${what} is required`)
    .refine((value) => /^https?:\/\/[^\s/]+/i.test(value), `${what} must start with http:// or https://`);

const nonEmpty = (what: string) => z.string({ error: `${what} is required` }).min(1, `${what} is required`);

const connectionName = (fallback: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === undefined || value === '' ? fallback : value))
    .pipe(
      z
        .string()
        .max(64, 'Connection Name must be at most 64 characters')
        .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'Connection Name may hold letters, digits, ".", "_", ":" and "-"'),
    );

const tlsSchema = z
  .object({
    rejectUnauthorized: z.boolean().default(true),
    /** PEM; several certificates may sit in one string. */
    ca: z.string().trim().optional(),
  })
  .default({ rejectUnauthorized: true });

const sapAuthSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('basic'), user: nonEmpty('User'), password: nonEmpty('Password') }),
    z.object({
      type: z.literal('oauth2'),
      tokenUrl: httpUrl('Token URL'),
      clientId: nonEmpty('Client ID'),
      clientSecret: nonEmpty('Client Secret'),
      scope: z.string().trim().optional(),
    }),
  ],
  { error: 'Authentication must be "basic" or "oauth2"' },
);

export const sapConnectionConfigSchema = z.object({
  baseUrl: httpUrl('Base URL'),
  auth: sapAuthSchema,
  sapClient: z
    .string()
    .trim()
    .regex(/^\d{3}$/, 'SAP Client must be three digits (for example 100)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  language: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, 'Language must be a two-letter code (for example EN)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  odataVersion: z.enum(['v2', 'v4'], { error: 'OData Version must be "v2" or "v4"' }).optional(),
  tls: tlsSchema,
  connectionName: connectionName('sap'),
  /** Service roots by service name, where they differ from `/sap/opu/odata/sap/<SERVICE>`. */
  services: z.record(z.string(), z.string().min(1)).optional(),
});

export type SapConnectionConfig = z.output<typeof sapConnectionConfigSchema>;
export type SapConnectionInput = z.input<typeof sapConnectionConfigSchema>;

const mesAuthSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('none') }),
    z.object({
      type: z.literal('apiKey'),
      /** Header carrying the key; the MES sync API takes it as `Authorization: Bearer <key>`. */
      header: z.string().trim().optional(),
      value: nonEmpty('API Key'),
      prefix: z.string().optional(),
    }),
    z.object({ type: z.literal('bearer'), token: nonEmpty('Bearer Token') }),
    z.object({ type: z.literal('basic'), username: nonEmpty('User'), password: nonEmpty('Password') }),
  ],
  { error: 'Authentication must be "none", "apiKey", "bearer" or "basic"' },
);

/** The custom profile: the RestUpsertConfig fields that describe the target, as JSON. */
const customProfileSchema = z
  .object({
    kind: z.string().optional(),
    entities: z
      .array(
        z.looseObject({
          name: nonEmpty('entities[].name'),
          title: z.string().optional(),
          keyFields: z.array(z.string().min(1)).min(1, 'entities[].keyFields needs at least one field'),
        }),
      )
      .min(1, 'Custom Profile needs at least one entity'),
    results: z.looseObject({
      single: z.string(),
      bulk: z.string(),
      action: z.string(),
      id: z.string(),
      error: z.string(),
      rejection: z.string(),
    }),
    test: z.looseObject({ path: z.string() }).optional(),
  })
  .loose();

export const mesConnectionConfigSchema = z
  .object({
    baseUrl: httpUrl('Base URL'),
    profile: z.enum(['mes-sync-api', 'custom'], { error: 'Profile must be "mes-sync-api" or "custom"' }),
    custom: customProfileSchema.optional(),
    auth: mesAuthSchema.default({ type: 'none' }),
    /** How a job's parts and a part's operations travel (mes-sync-api profile). */
    nesting: z.enum(['inline', 'split']).optional(),
    connectionName: connectionName('mes'),
  })
  .refine((config) => config.profile !== 'custom' || config.custom !== undefined, {
    path: ['custom'],
    message: 'Custom Profile (JSON) is required when Profile is "custom"',
  });

export type MesConnectionConfig = z.output<typeof mesConnectionConfigSchema>;
export type MesConnectionInput = z.input<typeof mesConnectionConfigSchema>;

/** Validates a SAP connection; a bad field fails as CONFIG_INVALID naming it. Secrets never reach the message. */
export function parseSapConnectionConfig(input: unknown): SapConnectionConfig {
  return parseOrThrow(sapConnectionConfigSchema, input, 'SAP connection');
}

/** Validates a shop-floor REST connection (see parseSapConnectionConfig). */
export function parseMesConnectionConfig(input: unknown): MesConnectionConfig {
  return parseOrThrow(mesConnectionConfigSchema, input, 'MES connection');
}

/**
 * The SAP connector for a connection. `id` names the connection's shared rate limit and Retry-After pause
 * (never a secret); `customEntities` adds entity sets the user typed ("Any Entity Set").
 */
export function createSapConnector(
  config: SapConnectionConfig,
  id: string,
  customEntities?: readonly SapEntityConfig[],
): Connector {
  const auth: SapAuthOptions =
    config.auth.type === 'basic'
      ? { type: 'basic', username: config.auth.user, password: config.auth.password }
      : {
          type: 'oauth2-client-credentials',
          tokenUrl: config.auth.tokenUrl,
          clientId: config.auth.clientId,
          clientSecret: config.auth.clientSecret,
          ...(config.auth.scope ? { scope: config.auth.scope } : {}),
        };
  return new SapConnector({
    id,
    baseUrl: config.baseUrl.replace(/\/+$/, ''),
    auth,
    ...(config.sapClient ? { client: config.sapClient } : {}),
    ...(config.language ? { language: config.language.toUpperCase() } : {}),
    ...(config.odataVersion ? { odataVersion: config.odataVersion } : {}),
    ...(config.services ? { services: config.services } : {}),
    ...(customEntities && customEntities.length > 0
      ? { customEntities, testEntity: customEntities[0]?.name ?? '' }
      : {}),
    tls: { rejectUnauthorized: config.tls.rejectUnauthorized, ...(config.tls.ca ? { ca: config.tls.ca } : {}) },
  });
}

/** The shop-floor REST connector for a connection: the MES sync-API profile or the user's custom profile. */
export function createMesConnector(config: MesConnectionConfig, id: string): Connector {
  const baseUrl = config.baseUrl.replace(/\/+$/, '');
  const auth = restAuth(config);
  if (config.profile === 'mes-sync-api') {
    const profile = mesSyncApiProfile({
      connectionId: id,
      baseUrl,
      apiKey: '',
      ...(config.nesting ? { nesting: config.nesting } : {}),
    });
    return new MesRestConnector({ ...profile, auth });
  }
  // Checked by the schema's refine; the structure below `entities[]` is the connector's to validate.
  const custom = config.custom as unknown as Omit<RestUpsertConfig, 'connectionId' | 'baseUrl' | 'auth'>;
  return new MesRestConnector({ ...custom, connectionId: id, baseUrl, auth });
}

function restAuth(config: MesConnectionConfig): RestAuth {
  const auth = config.auth;
  switch (auth.type) {
    case 'none':
      return { type: 'none' };
    case 'apiKey':
      // The MES sync API reads its key as a bearer token; a named header is for custom targets.
      if (!auth.header || auth.header.toLowerCase() === 'authorization') {
        return auth.prefix === undefined
          ? { type: 'bearer', token: auth.value }
          : { type: 'apiKey', header: 'Authorization', value: auth.value, prefix: auth.prefix };
      }
      return {
        type: 'apiKey',
        header: auth.header,
        value: auth.value,
        ...(auth.prefix ? { prefix: auth.prefix } : {}),
      };
    case 'bearer':
      return { type: 'bearer', token: auth.token };
    case 'basic':
      return { type: 'basic', username: auth.username, password: auth.password };
  }
}

/**
 * One line for the user after a connection test: what answered and how fast, or what failed and what to fix.
 * The connector's message already says what to fix; this adds the error code for searching the docs.
 */
export function describeConnectionTest(result: ConnectionTestResult): string {
  if (result.ok) return oneLine(result.message || `Connected in ${result.latencyMs} ms.`);
  const message = oneLine(result.message || 'The connection test failed.');
  return result.error ? `${message} [${result.error.code}]` : message;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** zod's first issue as a TaktError that names the field path; the offending value is never echoed. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  throw new TaktError('CONFIG_INVALID', `Invalid ${what}: ${issues.join('; ')}`, {
    details: { fields: result.error.issues.map((issue) => issue.path.map(String).join('.')) },
  });
}

/**
 * A JSON object a user typed (a host's JSON field, which may arrive as text or already parsed): undefined when
 * empty, CONFIG_INVALID naming `field` when it is not JSON or not an object.
 */
export function parseJsonObject(value: unknown, field: string): Record<string, unknown> | undefined {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
  if (typeof value !== 'string') throw new TaktError('CONFIG_INVALID', `${field} must be a JSON object`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new TaktError('CONFIG_INVALID', `${field} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  throw new TaktError('CONFIG_INVALID', `${field} must be a JSON object`);
}
