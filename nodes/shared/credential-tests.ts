import {
  acquireStore,
  createMesConnector,
  createSapConnector,
  defaultN8nStoreDir,
  describeConnectionTest,
  toTaktError,
  type Connector,
} from '@takt/runtime';
import type {
  ICredentialDataDecryptedObject,
  ICredentialsDecrypted,
  ICredentialTestFunction,
  INodeCredentialTestResult,
} from 'n8n-workflow';

import {
  mesConfigFromCredential,
  SAP_BASIC_TYPE,
  SAP_CLIENT_CREDENTIALS_TYPE,
  sapConfigFromCredential,
  storeConfigFromCredential,
} from './credentials';
import { MES_CONNECTION_TEST, SAP_CONNECTION_TEST, STORE_CONNECTION_TEST } from './descriptions';

/**
 * Credential tests for `methods.credentialTest`. n8n's declarative test request cannot run the runtime's
 * handshake (CSRF, OAuth token, service document), so each test builds the connector from the credential data
 * and calls its `test()`, which proves reachability, TLS, credentials and the sap-client without changing
 * anything. The message is the connector's, naming what to fix.
 */

async function testSap(this: unknown, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
  const type = credential.type === SAP_CLIENT_CREDENTIALS_TYPE ? SAP_CLIENT_CREDENTIALS_TYPE : SAP_BASIC_TYPE;
  return testConnector(() => {
    const config = sapConfigFromCredential(type, dataOf(credential));
    return createSapConnector(config, `${config.connectionName}:credential-test`);
  });
}

async function testMes(this: unknown, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
  return testConnector(() => {
    const config = mesConfigFromCredential(dataOf(credential));
    return createMesConnector(config, `${config.connectionName}:credential-test`);
  });
}

async function testStore(this: unknown, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
  try {
    const config = storeConfigFromCredential(dataOf(credential));
    const lease = await acquireStore(config, { defaultDir: defaultN8nStoreDir(process.env), env: process.env });
    try {
      await lease.value.getCursor('takt:credential-test');
    } finally {
      lease.release();
    }
    return {
      status: 'OK',
      message: config.kind === 'postgres' ? 'Connected to PostgreSQL.' : 'SQLite state file opened.',
    };
  } catch (error) {
    return { status: 'Error', message: toTaktError(error).message };
  }
}

async function testConnector(create: () => Connector): Promise<INodeCredentialTestResult> {
  let connector: Connector | undefined;
  try {
    connector = create();
    const result = await connector.test();
    return { status: result.ok ? 'OK' : 'Error', message: describeConnectionTest(result) };
  } catch (error) {
    return { status: 'Error', message: toTaktError(error).message };
  } finally {
    await connector?.close();
  }
}

function dataOf(credential: ICredentialsDecrypted): ICredentialDataDecryptedObject {
  return credential.data ?? {};
}

/** Every Takt credential test, by the name the node descriptions' `testedBy` uses. */
export const credentialTests: Record<string, ICredentialTestFunction> = {
  [SAP_CONNECTION_TEST]: testSap,
  [MES_CONNECTION_TEST]: testMes,
  [STORE_CONNECTION_TEST]: testStore,
};
