import { TaktError, toTaktError, type ErrorCode } from '../../errors';
import type { Clock } from '../../time';
import type { ConnectionTestResult } from '../types';
import type { SapEntity } from './entities';
import { isObject } from './odata-page';
import { versionHeaders } from './odata-version';
import { answerJson, headerOf, type SapAnswer, type SapHttp } from './sap-http';

/**
 * `Connector.test()`: one GET on a service root (the service document, reference A.1) with
 * `x-csrf-token: Fetch`, which proves reachability, TLS, credentials, the client, that the service is active,
 * and that writes will get a CSRF token, without changing anything. Never throws for a failed check.
 */
export async function testConnection(
  http: SapHttp,
  entity: SapEntity,
  context: {
    readonly client?: string;
    readonly language?: string;
    readonly clock: Clock;
    readonly signal?: AbortSignal;
  },
): Promise<ConnectionTestResult> {
  const started = context.clock.now();
  try {
    const answer = await http.send({
      method: 'GET',
      path: `${entity.servicePath}/`,
      headers: { ...versionHeaders(entity.odataVersion), 'x-csrf-token': 'Fetch' },
      answers: [404],
      ...(context.signal ? { signal: context.signal } : {}),
    });
    const latencyMs = context.clock.now() - started;
    if (answer.status === 404) return failed(serviceNotFound(entity, answer), latencyMs, entity, context.client);
    const system = systemOf(answer, entity, context);
    const sets = entitySets(answerJson(answer));
    if (sets !== undefined && !sets.includes(entity.entitySet)) {
      const error = new TaktError(
        'SERVICE_NOT_FOUND',
        `The service ${entity.service} answered, but has no entity set ${entity.entitySet} (it has ` +
          `${sets.slice(0, 8).join(', ')}${sets.length > 8 ? ', …' : ''}). Check the entity set name or the service version.`,
        { details: { service: entity.service, entitySet: entity.entitySet } },
      );
      return { ok: false, latencyMs, message: error.message, system, error: record(error) };
    }
    return {
      ok: true,
      latencyMs,
      message:
        `Connected to ${system.sapServer ? `${system.sapServer} ` : 'SAP '}in ${latencyMs} ms: service ` +
        `${entity.service} (OData ${entity.odataVersion.toUpperCase()})` +
        (context.client ? `, client ${context.client}` : '') +
        (system.csrf === 'issued' ? '; writes will get a CSRF token.' : '.'),
      system,
    };
  } catch (error) {
    return failed(toTaktError(error), context.clock.now() - started, entity, context.client);
  }
}

/** What the system says about itself: response headers and the service document. */
function systemOf(
  answer: SapAnswer,
  entity: SapEntity,
  context: { readonly client?: string; readonly language?: string },
): Record<string, string> {
  const system: Record<string, string> = {
    service: entity.service,
    servicePath: entity.servicePath,
    odataVersion: entity.odataVersion,
  };
  const put = (name: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') system[name] = value;
  };
  put('sapServer', headerOf(answer, 'sap-server'));
  put('sapSystem', headerOf(answer, 'sap-system'));
  put('dataServiceVersion', headerOf(answer, 'dataserviceversion') ?? headerOf(answer, 'odata-version'));
  put('client', context.client);
  put('language', context.language);
  put('csrf', headerOf(answer, 'x-csrf-token') === undefined ? 'not issued' : 'issued');
  return system;
}

/** V2 `{"d": {"EntitySets": [...]}}`; V4 `{"value": [{"name", "kind", "url"}]}` (reference A.1). */
function entitySets(body: unknown): string[] | undefined {
  if (!isObject(body)) return undefined;
  const d = body.d;
  if (isObject(d) && Array.isArray(d.EntitySets)) return d.EntitySets.filter((s): s is string => typeof s === 'string');
  if (Array.isArray(body.value)) {
    return body.value
      .filter(isObject)
      .filter((item) => item.kind === undefined || item.kind === 'EntitySet')
      .map((item) => (typeof item.url === 'string' ? item.url : typeof item.name === 'string' ? item.name : ''));
  }
  return undefined;
}

function serviceNotFound(entity: SapEntity, answer: SapAnswer): TaktError {
  return new TaktError(
    'SERVICE_NOT_FOUND',
    `SAP has no service at ${entity.servicePath} (404). ` +
      (entity.odataVersion === 'v2'
        ? `Check that ${entity.service} is activated in transaction /IWFND/MAINT_SERVICE and its ICF node is active (SICF), `
        : `Check that the service binding of ${entity.service} is published, `) +
      'and that the service path and version in the connection settings match.',
    { details: { status: answer.status, service: entity.service, servicePath: entity.servicePath } },
  );
}

/** What to do, per failure the transport and the pipeline classify. */
const ADVICE: Partial<Record<ErrorCode, string>> = {
  AUTH_FAILED:
    'SAP rejected the credentials (401). Check the user and password (or client id and secret), and the ' +
    'client: a user exists per client, so a wrong sap-client looks like a wrong password.',
  FORBIDDEN:
    'SAP accepted the user but denied access (403). The user needs the authorization for this service ' +
    '(role with S_SERVICE for it; transaction SU53 shows what is missing).',
  DNS_NOT_FOUND: 'The host name in baseUrl does not resolve. Check its spelling, and the DNS or VPN of this machine.',
  TLS_CERT_UNTRUSTED:
    "SAP's certificate is not trusted. Add the company CA certificate (PEM) to the connection's TLS settings (tls.ca).",
  TLS_HOSTNAME_MISMATCH:
    "SAP's certificate is for another host name. Use the host name it was issued for, or set tls.servername.",
  TLS_CERT_EXPIRED:
    "SAP's certificate has expired or is not valid yet; the system's Basis team must renew it (STRUST).",
  TLS_HANDSHAKE_FAILED:
    'The TLS handshake failed: the port may not speak HTTPS, or SAP requires a client certificate (X.509) that ' +
    'was not sent or not accepted.',
  CONNECTION_REFUSED: 'Nothing listens on that host and port. Check the port (HTTPS is often 443 or 44300).',
  CONNECT_TIMEOUT: 'The host does not answer. A firewall may drop the connection, or a proxy is needed.',
};

function failed(
  error: TaktError,
  latencyMs: number,
  entity: SapEntity,
  client: string | undefined,
): ConnectionTestResult {
  const advice = ADVICE[error.code];
  const message = advice ? `${advice} (${error.message})` : error.message;
  return {
    ok: false,
    latencyMs,
    message,
    system: { service: entity.service, servicePath: entity.servicePath, ...(client ? { client } : {}) },
    error: { code: error.code, message, retryable: error.retryable },
  };
}

function record(error: TaktError): { code: string; message: string; retryable: boolean } {
  return { code: error.code, message: error.message, retryable: error.retryable };
}
