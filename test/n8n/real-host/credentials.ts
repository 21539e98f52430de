import { writeFileSync } from 'node:fs';

/**
 * The credentials every blueprint refers to, by the ids and names written in examples/n8n/*.json. A user who
 * imports a blueprint picks their own credentials in n8n's import dialog; the run creates these under the same ids
 * with `n8n import:credentials` (n8n encrypts plain `data` objects with the instance's key on import), pointing at
 * the simulator and at a state store in the run's temporary folder.
 */

export const BLUEPRINT_CREDENTIALS = {
  sap: { id: 'taktBpSapBasic', name: 'SAP (Takt blueprint)', type: 'taktSapApi' },
  mes: { id: 'taktBpMesApi', name: 'MES (Takt blueprint)', type: 'taktMesApi' },
  store: { id: 'taktBpStateStore', name: 'Takt state store (blueprint)', type: 'taktStateStore' },
} as const;

export interface CredentialTargets {
  readonly simulatorUrl: string;
  readonly sapUser: string;
  readonly sapPassword: string;
  readonly sapClient: string;
  readonly mesBasePath: string;
  readonly storeFile: string;
}

/** Writes the credentials file for `n8n import:credentials --input=<file>`. */
export function writeCredentialsFile(file: string, targets: CredentialTargets): void {
  const credentials = [
    {
      ...BLUEPRINT_CREDENTIALS.sap,
      data: {
        baseUrl: targets.simulatorUrl,
        user: targets.sapUser,
        password: targets.sapPassword,
        sapClient: targets.sapClient,
        connectionName: 'sap',
      },
    },
    {
      ...BLUEPRINT_CREDENTIALS.mes,
      data: {
        baseUrl: `${targets.simulatorUrl}${targets.mesBasePath}`,
        profile: 'mes-sync-api',
        authentication: 'none',
        connectionName: 'mes',
      },
    },
    {
      ...BLUEPRINT_CREDENTIALS.store,
      data: { storeType: 'sqlite', sqliteFile: targets.storeFile },
    },
  ];
  writeFileSync(file, JSON.stringify(credentials, null, 2));
}
