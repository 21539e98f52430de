import { TaktError } from '@takt/runtime';
import {
  NodeApiError,
  NodeOperationError,
  type ICredentialDataDecryptedObject,
  type ICredentialTestFunctions,
  type INode,
} from 'n8n-workflow';

import { releaseAll, startTestSimulator, StateFolder, type TestSimulator } from '../../../test/n8n/harness';
import { credentialTests } from '../credential-tests';
import {
  mesConfigFromCredential,
  sapConfigFromCredential,
  sapCredentialType,
  storeConfigFromCredential,
  type TaktContext,
} from '../credentials';
import { MES_CONNECTION_TEST, STORE_CONNECTION_TEST } from '../descriptions';
import { errorSummary, toNodeError } from '../errors';

const node: INode = {
  id: 'n1',
  name: 'SAP',
  type: 'n8n-nodes-takt.taktSap',
  typeVersion: 1,
  position: [0, 0],
  parameters: {},
};

describe('toNodeError', () => {
  it('turns an auth or transient error into NodeApiError with the status and Takt code', () => {
    const error = toNodeError(
      node,
      new TaktError('HTTP_UNAVAILABLE', 'SAP answered 503 three times; try again later.', { details: { status: 503 } }),
      4,
    );
    expect(error).toBeInstanceOf(NodeApiError);
    expect((error as NodeApiError).httpCode).toBe('503');
    expect(error.message).toBe('SAP answered 503 three times; try again later.');
    expect(error.description).toBe('HTTP_UNAVAILABLE: Service unavailable (502/503/504). Retrying later may succeed.');
    expect(error.context).toMatchObject({ itemIndex: 4, taktCode: 'HTTP_UNAVAILABLE', retryable: true });
  });

  it('turns a configuration or data error into NodeOperationError', () => {
    const error = toNodeError(node, new TaktError('CONFIG_INVALID', 'Key Fields needs at least one key property'));
    expect(error).toBeInstanceOf(NodeOperationError);
    expect(error.context.itemIndex).toBeUndefined();
    expect(error.description).toBe(
      'CONFIG_INVALID: Invalid configuration. Retrying unchanged will fail again; fix the cause first.',
    );
    expect(errorSummary(error)).toEqual({
      code: 'CONFIG_INVALID',
      message: 'Key Fields needs at least one key property',
      retryable: false,
    });
  });

  it('wraps a foreign error as INTERNAL and keeps an n8n error, adding the item index', () => {
    expect(errorSummary(toNodeError(node, new Error('boom')))).toEqual({
      code: 'INTERNAL',
      message: 'boom',
      retryable: false,
    });
    const original = new NodeOperationError(node, 'already converted');
    expect(toNodeError(node, original, 2)).toBe(original);
    expect(original.context.itemIndex).toBe(2);
  });
});

describe('credential readers', () => {
  it('reads the SAP OAuth2 credential, with service paths and insecure TLS', () => {
    expect(
      sapConfigFromCredential('taktSapOAuth2Api', {
        connectionName: 'plant-a',
        baseUrl: 'https://s4.example.com',
        sapClient: '200',
        tokenUrl: 'https://auth.example.com/oauth/token',
        clientId: 'c',
        clientSecret: 's',
        scope: '',
        services: 'API_EQUIPMENT=/sap/opu/odata/sap/API_EQUIPMENT;v=0002\n',
        allowUnauthorizedCerts: true,
      }),
    ).toEqual({
      baseUrl: 'https://s4.example.com',
      auth: { type: 'oauth2', tokenUrl: 'https://auth.example.com/oauth/token', clientId: 'c', clientSecret: 's' },
      sapClient: '200',
      tls: { rejectUnauthorized: false },
      connectionName: 'plant-a',
      services: { API_EQUIPMENT: '/sap/opu/odata/sap/API_EQUIPMENT;v=0002' },
    });
    expect(() => sapConfigFromCredential('taktSapApi', { ...basicSap(), services: 'API_EQUIPMENT' })).toThrow(
      'Service Paths: write each line as SERVICE_NAME=/path (got "API_EQUIPMENT")',
    );
  });

  it('reads the MES credential: API key as bearer, a named header, and a custom profile that must be JSON', () => {
    expect(mesConfigFromCredential({ baseUrl: 'http://mes/api/v1', authentication: 'apiKey', apiKey: 'k' })).toEqual({
      baseUrl: 'http://mes/api/v1',
      profile: 'mes-sync-api',
      auth: { type: 'apiKey', value: 'k' },
      connectionName: 'mes',
    });
    expect(
      mesConfigFromCredential({
        baseUrl: 'http://mes',
        authentication: 'apiKey',
        apiKey: 'k',
        keyHeaderName: 'X-API-Key',
      }).auth,
    ).toEqual({ type: 'apiKey', header: 'X-API-Key', value: 'k' });
    expect(() =>
      mesConfigFromCredential({ baseUrl: 'http://mes', profile: 'custom', customProfile: '{ entities: [' }),
    ).toThrow(/^Custom Profile \(JSON\) is not valid JSON/);
  });

  it('reads the store credential, defaulting to SQLite', () => {
    expect(storeConfigFromCredential(undefined)).toEqual({ kind: 'sqlite' });
    expect(
      storeConfigFromCredential({ storeType: 'postgres', connectionString: 'postgres://db/x', schema: 'takt' }),
    ).toEqual({ kind: 'postgres', connectionString: 'postgres://db/x', schema: 'takt' });
  });
});

describe('sapCredentialType', () => {
  it('reads the authentication parameter from execute contexts by item and from poll contexts without one', () => {
    const execute = {
      getInputData: () => [],
      getNodeParameter: (name: string, itemIndex: number, fallback: unknown) =>
        name === 'authentication' && itemIndex === 2 ? 'oAuth2' : fallback,
    } as unknown as TaktContext;
    expect(sapCredentialType(execute, 2)).toBe('taktSapOAuth2Api');
    expect(sapCredentialType(execute, 0)).toBe('taktSapApi');
    const poll = {
      getNodeParameter: (name: string, fallback: unknown) => (name === 'authentication' ? 'oAuth2' : fallback),
    } as unknown as TaktContext;
    expect(sapCredentialType(poll)).toBe('taktSapOAuth2Api');
  });
});

function basicSap(): ICredentialDataDecryptedObject {
  return { baseUrl: 'https://s4.example.com', user: 'U', password: 'P' };
}

describe('MES and store credential tests', () => {
  let sim: TestSimulator<'mes'>;
  let folder: StateFolder;
  const context = {} as ICredentialTestFunctions;
  const testOf = (name: string) => credentialTests[name] as NonNullable<(typeof credentialTests)[string]>;

  beforeAll(async () => {
    sim = await startTestSimulator({ services: ['mes'], mes: { size: 0, apiKey: 'mes-key-1' } });
    folder = StateFolder.create('credential-test');
  });

  afterAll(() => releaseAll(sim, folder));

  it('connects to the MES with its key and names a wrong key', async () => {
    const data = (apiKey: string) => ({
      baseUrl: `${sim.url}${sim.mes.basePath}`,
      profile: 'mes-sync-api',
      authentication: 'apiKey',
      apiKey,
    });
    const ok = await testOf(MES_CONNECTION_TEST).call(context, {
      id: '1',
      name: 'MES',
      type: 'taktMesApi',
      data: data('mes-key-1'),
    });
    expect(ok.status).toBe('OK');
    const wrong = await testOf(MES_CONNECTION_TEST).call(context, {
      id: '1',
      name: 'MES',
      type: 'taktMesApi',
      data: data('not-the-key'),
    });
    expect(wrong.status).toBe('Error');
    expect(wrong.message).toContain('[AUTH_FAILED]');
    expect(wrong.message).not.toContain('not-the-key');
  });

  it('opens a SQLite store and refuses SQLite in queue mode', async () => {
    const test = testOf(STORE_CONNECTION_TEST);
    const data = folder.storeCredential();
    expect(await test.call(context, { id: '1', name: 'Store', type: 'taktStateStore', data })).toEqual({
      status: 'OK',
      message: 'SQLite state file opened.',
    });
    process.env.EXECUTIONS_MODE = 'queue';
    try {
      const refused = await test.call(context, { id: '1', name: 'Store', type: 'taktStateStore', data });
      expect(refused.status).toBe('Error');
      expect(refused.message).toContain('n8n runs in queue mode (EXECUTIONS_MODE=queue)');
    } finally {
      delete process.env.EXECUTIONS_MODE;
    }
  });
});
