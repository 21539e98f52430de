import { TaktError } from '../../errors';
import { HttpConnection, type TlsOptions } from '../../http';
import { createLogger } from '../../log';
import { systemClock, type Clock } from '../../time';
import type {
  ConnectionTestResult,
  Connector,
  EntityDescriptor,
  Page,
  ReadOptions,
  WriteItem,
  WriteOptions,
  WriteResult,
} from '../types';
import { basicAuth } from './auth/basic';
import { OAuth2ClientCredentials } from './auth/oauth2-client-credentials';
import type { SapAuth } from './auth/sap-auth';
import { x509Auth, x509Tls } from './auth/x509';
import { testConnection } from './connection-test';
import { CookieJar } from './cookie-jar';
import { resolveEntities, type SapEntity } from './entities';
import { ServiceMetadataCache } from './metadata-cache';
import { readPages } from './sap-read';
import { DEFAULT_PAGE_SIZE, type SapConnectorOptions } from './sap-options';
import { SapHttp } from './sap-http';
import { writeRecords } from './sap-write';

/**
 * The SAP Gateway OData connector (V2 and V4), implementing the Connector contract (../types.ts). Protocol
 * facts come from reference erp-protocols.md section A; README.md in this folder draws the CSRF handshake and
 * lists the choices made where SAP leaves room.
 */
export class SapConnector implements Connector {
  readonly kind = 'sap-odata';
  private readonly entityMap: Map<string, SapEntity>;
  private readonly connection: HttpConnection;
  private readonly auth: SapAuth;
  private readonly cookies = new CookieJar();
  private readonly http: SapHttp;
  private readonly metadata: ServiceMetadataCache;
  private readonly clock: Clock;
  private readonly pageSize: number;
  private readonly changesetSize: number;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: SapConnectorOptions) {
    const origin = originOf(options.baseUrl);
    this.clock = options.clock ?? systemClock;
    this.entityMap = resolveEntities({
      odataVersion: options.odataVersion ?? 'v2',
      ...(options.services ? { services: options.services } : {}),
      ...(options.customEntities ? { customEntities: options.customEntities } : {}),
    });
    this.pageSize = positiveInteger(options.pageSize ?? DEFAULT_PAGE_SIZE, 'pageSize');
    this.changesetSize = positiveInteger(options.changesetSize ?? 1, 'changesetSize');
    for (const [field, value, pattern] of [
      ['client', options.client, /^\d{3}$/],
      ['language', options.language, /^[A-Za-z0-9]{1,2}$/],
    ] as const) {
      if (value !== undefined && !pattern.test(value)) {
        throw new TaktError('CONFIG_INVALID', `${field} "${value}" is not a valid sap-${field}.`, {
          details: { field },
        });
      }
    }
    const tls: TlsOptions | undefined = options.auth.type === 'x509' ? x509Tls(options.auth, options.tls) : options.tls;
    const shared = {
      ...(options.proxy ? { proxy: options.proxy } : {}),
      ...(options.timeouts ? { timeouts: options.timeouts } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      clock: this.clock,
    };
    this.connection = new HttpConnection({
      id: options.id,
      baseUrl: options.baseUrl,
      ...shared,
      ...(tls ? { tls } : {}),
      ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
      ...(options.maxResponseBytes ? { maxResponseBytes: options.maxResponseBytes } : {}),
    });
    this.auth = this.createAuth(shared);
    this.http = new SapHttp({
      connection: this.connection,
      auth: this.auth,
      cookies: this.cookies,
      origin,
      ...(options.client ? { client: options.client } : {}),
      ...(options.language ? { language: options.language } : {}),
    });
    const logger = options.logger ?? createLogger({ level: 'warn', fields: { connector: this.kind } });
    this.metadata = new ServiceMetadataCache(this.http, this.clock, logger.child({ connection: options.id }));
  }

  entities(): readonly EntityDescriptor[] {
    return [...this.entityMap.values()];
  }

  test(options: { readonly signal?: AbortSignal } = {}): Promise<ConnectionTestResult> {
    const entity = this.entity(this.options.testEntity ?? [...this.entityMap.keys()][0] ?? '');
    return testConnection(this.http, entity, {
      clock: this.clock,
      ...(this.options.client ? { client: this.options.client } : {}),
      ...(this.options.language ? { language: this.options.language } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  read(entity: string, options: ReadOptions = {}): AsyncIterable<Page> {
    const resolved = this.entity(entity);
    const pageSize = positiveInteger(options.pageSize ?? this.pageSize, 'pageSize');
    return readPages(this.http, resolved, options, pageSize);
  }

  write(entity: string, records: readonly WriteItem[], options: WriteOptions): Promise<WriteResult[]> {
    return writeRecords(
      {
        http: this.http,
        entity: this.entity(entity),
        changesetSize: this.changesetSize,
        metadata: this.metadata,
      },
      records,
      options,
    );
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.http.csrf.reset();
      this.cookies.clear();
      await this.auth.close();
      await this.connection.close();
    })();
    return this.closing;
  }

  private entity(name: string): SapEntity {
    const found = this.entityMap.get(name);
    if (!found) {
      throw new TaktError(
        'ENTITY_UNKNOWN',
        `The SAP connector knows no entity "${name}". Known: ${[...this.entityMap.keys()].join(', ')}. ` +
          'Add other entity sets through customEntities.',
        { details: { entity: name } },
      );
    }
    return found;
  }

  private createAuth(shared: Record<string, unknown>): SapAuth {
    const { auth } = this.options;
    switch (auth.type) {
      case 'basic':
        return basicAuth(auth);
      case 'x509':
        return x509Auth();
      case 'oauth2-client-credentials': {
        // Its own connection: another host with its own rate limit; the company CA still applies to it.
        const tokenConnection = new HttpConnection({
          id: `${this.options.id}#oauth-token`,
          ...shared,
          ...(this.options.tls ? { tls: { ...this.options.tls, cert: undefined, key: undefined } } : {}),
        });
        return new OAuth2ClientCredentials(auth, tokenConnection, this.clock);
      }
    }
  }
}

function originOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).origin;
  } catch (cause) {
    throw new TaktError(
      'URL_INVALID',
      'baseUrl is not a valid URL; it should look like https://s4.example.com:44300.',
      {
        cause,
        details: { field: 'baseUrl' },
      },
    );
  }
}

function positiveInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new TaktError('CONFIG_INVALID', `${field} must be a positive integer (got ${String(value)}).`, {
      details: { field },
    });
  }
  return value;
}
