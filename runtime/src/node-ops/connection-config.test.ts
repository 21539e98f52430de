import { TaktError } from '../errors';
import {
  createMesConnector,
  createSapConnector,
  describeConnectionTest,
  parseJsonObject,
  parseMesConnectionConfig,
  parseSapConnectionConfig,
} from './connection-config';

const basic = { type: 'basic', user: 'TAKT_USER', password: 'Welcome1!' };

function configError(run: () => unknown): TaktError {
  try {
    run();
  } catch (error) {
    if (TaktError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a CONFIG_INVALID error');
}

describe('parseSapConnectionConfig', () => {
  it('fills defaults: connection name sap, TLS verified', () => {
    const config = parseSapConnectionConfig({ baseUrl: 'https://s4.example.com', auth: basic, sapClient: '100' });
    expect(config).toEqual({
      baseUrl: 'https://s4.example.com',
      auth: basic,
      sapClient: '100',
      tls: { rejectUnauthorized: true },
      connectionName: 'sap',
    });
  });

  it('treats empty optional text as absent', () => {
    const config = parseSapConnectionConfig({
      baseUrl: 'http://localhost:4010',
      auth: basic,
      sapClient: '',
      language: '',
      connectionName: '',
    });
    expect(config.sapClient).toBeUndefined();
    expect(config.language).toBeUndefined();
    expect(config.connectionName).toBe('sap');
  });

  it.each([
    [{ baseUrl: 'ftp://x', auth: basic }, 'baseUrl: Base URL must start with http:// or https://'],
    [{ baseUrl: 'https://x', auth: basic, sapClient: '1000' }, 'sapClient: SAP Client must be three digits'],
    [{ baseUrl: 'https://x', auth: { type: 'basic', user: 'U' } }, 'auth.password: Password is required'],
    [{ baseUrl: 'https://x', auth: { type: 'token' } }, 'auth.type: Authentication must be "basic" or "oauth2"'],
    [
      { baseUrl: 'https://x', auth: { type: 'oauth2', tokenUrl: 'x', clientId: 'c', clientSecret: 's' } },
      'auth.tokenUrl: Token URL must start with http:// or https://',
    ],
    [{ baseUrl: 'https://x', auth: basic, connectionName: 'my sap' }, 'connectionName: Connection Name may hold'],
  ])('names the field to fix: %j', (input, message) => {
    const error = configError(() => parseSapConnectionConfig(input));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(message);
  });

  it('never echoes a secret in a validation message', () => {
    const error = configError(() =>
      parseSapConnectionConfig({ baseUrl: 'nope', auth: { type: 'basic', user: 'U', password: 'Sup3rSecret!' } }),
    );
    expect(error.message).not.toContain('Sup3rSecret!');
    expect(JSON.stringify(error.toJSON())).not.toContain('Sup3rSecret!');
  });
});

describe('parseMesConnectionConfig', () => {
  it('defaults to no auth and connection name mes', () => {
    expect(parseMesConnectionConfig({ baseUrl: 'http://mes:8080/api/v1', profile: 'mes-sync-api' })).toEqual({
      baseUrl: 'http://mes:8080/api/v1',
      profile: 'mes-sync-api',
      auth: { type: 'none' },
      connectionName: 'mes',
    });
  });

  it('requires the custom profile JSON for profile custom', () => {
    const error = configError(() => parseMesConnectionConfig({ baseUrl: 'http://mes', profile: 'custom' }));
    expect(error.message).toContain('custom: Custom Profile (JSON) is required');
  });

  it('checks the custom profile has entities with keys', () => {
    const error = configError(() =>
      parseMesConnectionConfig({
        baseUrl: 'http://mes',
        profile: 'custom',
        custom: {
          entities: [{ name: 'machines', keyFields: [] }],
          results: { single: 'data', bulk: 'r', action: 'a', id: 'id', error: 'e', rejection: 'm' },
        },
      }),
    );
    expect(error.message).toContain('custom.entities.0.keyFields: entities[].keyFields needs at least one field');
  });
});

describe('createSapConnector / createMesConnector', () => {
  it('builds an SAP connector that knows the presets and the custom entity', async () => {
    const config = parseSapConnectionConfig({ baseUrl: 'https://s4.example.com/', auth: basic, sapClient: '100' });
    const connector = createSapConnector(config, 'sap@s4.example.com', [
      { name: 'Z/Set', service: 'ZSRV', entitySet: 'Set', keyFields: ['Id'] },
    ]);
    const names = connector.entities().map((entity) => entity.name);
    expect(connector.kind).toBe('sap-odata');
    expect(names).toEqual(expect.arrayContaining(['production-orders', 'equipment', 'Z/Set']));
    await connector.close();
  });

  it('builds the MES sync-API profile with its five entities', async () => {
    const config = parseMesConnectionConfig({
      baseUrl: 'http://mes/api/v1',
      profile: 'mes-sync-api',
      auth: { type: 'apiKey', value: 'k-123' },
    });
    const connector = createMesConnector(config, 'mes@mes');
    expect(connector.entities().map((entity) => entity.name)).toEqual([
      'cells',
      'resources',
      'jobs',
      'parts',
      'operations',
    ]);
    await connector.close();
  });
  it('builds a custom profile and lets the connector refuse an entity without endpoints', async () => {
    const results = {
      single: 'data',
      bulk: 'data.results',
      action: 'action',
      id: 'id',
      error: 'error',
      rejection: 'error.message',
    };
    const config = (entity: Record<string, unknown>) =>
      parseMesConnectionConfig({
        baseUrl: 'http://mes.example.com/api',
        profile: 'custom',
        custom: { entities: [entity], results },
        auth: { type: 'bearer', token: 't' },
      });
    const connector = createMesConnector(
      config({
        name: 'machines',
        title: 'Machines',
        keyFields: ['code'],
        single: { path: '/machines', method: 'PUT' },
      }),
      'mes@mes.example.com',
    );
    expect(connector.entities().map((entity) => [entity.name, entity.keyFields])).toEqual([['machines', ['code']]]);
    await connector.close();
    expect(() => createMesConnector(config({ name: 'machines', keyFields: ['code'] }), 'mes@x')).toThrow(
      'REST upsert target: entities.machines needs a single or a bulk endpoint.',
    );
  });
});

describe('describeConnectionTest', () => {
  it('gives the success message on one line', () => {
    expect(describeConnectionTest({ ok: true, latencyMs: 12, message: 'Connected to SAP\n in 12 ms.' })).toBe(
      'Connected to SAP in 12 ms.',
    );
  });

  it('adds the error code to a failure', () => {
    expect(
      describeConnectionTest({
        ok: false,
        latencyMs: 3,
        message: 'SAP rejected the user or password. Check them.',
        error: { code: 'AUTH_FAILED', message: 'x', retryable: false },
      }),
    ).toBe('SAP rejected the user or password. Check them. [AUTH_FAILED]');
  });
});

describe('parseJsonObject', () => {
  it('takes an object as text or as parsed, and nothing for empty', () => {
    expect(parseJsonObject('{"a":1}', 'Record (JSON)')).toEqual({ a: 1 });
    expect(parseJsonObject({ a: 1 }, 'Record (JSON)')).toEqual({ a: 1 });
    expect(parseJsonObject('  ', 'Record (JSON)')).toBeUndefined();
  });

  it('names the field when the text is not a JSON object', () => {
    expect(() => parseJsonObject('{ a: 1 }', 'Record (JSON)')).toThrow(/^Record \(JSON\) is not valid JSON/);
    expect(() => parseJsonObject('[1]', 'Record (JSON)')).toThrow('Record (JSON) must be a JSON object');
  });
});
