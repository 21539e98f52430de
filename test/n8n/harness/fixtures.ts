import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  SAP_DEFAULTS,
  startSimulator,
  type RunningSimulator,
  type SimulatedService,
  type SimulatorOptions,
} from '@takt/erp-simulator';
import { resourcePool, SapConnector, signStandardWebhook, type Connector } from '@takt/runtime';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

/** A running simulator whose handles for the started services are known to be present. */
export type TestSimulator<S extends SimulatedService> = RunningSimulator & {
  readonly [K in S]-?: NonNullable<RunningSimulator[K]>;
};

/** Starts the simulator on a free port with exactly `services`, and fails the suite if one of them is missing. */
export async function startTestSimulator<S extends SimulatedService>(
  options: SimulatorOptions & { readonly services: readonly S[] },
): Promise<TestSimulator<S>> {
  const started = await startSimulator({ port: 0, ...options });
  const missing = options.services.filter((service) => started[service] === undefined);
  if (missing.length > 0) {
    await started.close();
    throw new Error(`the simulator started without ${missing.join(' and ')}`);
  }
  return started as TestSimulator<S>;
}

/** A temporary folder for one test file's state stores; every `storeCredential()` names a fresh SQLite file. */
export class StateFolder {
  private stores = 0;

  private constructor(readonly path: string) {}

  /** `label` names the folder (`takt-<label>-XXXXXX` under the OS temp dir). */
  static create(label: string): StateFolder {
    return new StateFolder(mkdtempSync(join(tmpdir(), `takt-${label}-`)));
  }

  /** A `taktStateStore` credential on a SQLite file no other test of the file uses. */
  storeCredential(): ICredentialDataDecryptedObject {
    this.stores += 1;
    return { storeType: 'sqlite', sqliteFile: join(this.path, `state-${this.stores}.sqlite`) };
  }

  close(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** The simulator's first SAP user, as `taktSapApi` (Basic) data; `password` overrides to test a rejected login. */
export function sapBasicCredential(
  sim: RunningSimulator,
  password: string = SAP_DEFAULTS.users[0].password,
): ICredentialDataDecryptedObject {
  return {
    connectionName: 'sap',
    baseUrl: sim.url,
    sapClient: SAP_DEFAULTS.client,
    user: SAP_DEFAULTS.users[0].user,
    password,
  };
}

/** The simulator's MES sync API without an API key, as `taktMesApi` data. */
export function mesCredential(sim: TestSimulator<'mes'>): ICredentialDataDecryptedObject {
  return {
    connectionName: 'mes',
    baseUrl: `${sim.url}${sim.mes.basePath}`,
    profile: 'mes-sync-api',
    authentication: 'none',
  };
}

/** A runtime SAP connector on the simulator (Basic, first user), for tests that read SAP records as input. */
export function sapTestConnector(sim: RunningSimulator, id: string): Connector {
  const [user] = SAP_DEFAULTS.users;
  return new SapConnector({
    id,
    baseUrl: sim.url,
    client: SAP_DEFAULTS.client,
    auth: { type: 'basic', username: user.user, password: user.password },
  });
}

/** The first `count` production orders as the SAP connector reads them (plain copies, safe to change). */
export async function readSampleOrders(sap: Connector, count: number): Promise<Record<string, unknown>[]> {
  const orders: Record<string, unknown>[] = [];
  for await (const page of sap.read('production-orders', { pageSize: count })) {
    orders.push(...page.records.map((record) => ({ ...record })));
    if (orders.length >= count) break;
  }
  return orders.slice(0, count);
}

/** Standard Webhooks headers for a JSON `body` signed with `secret`, stamped now, as a sender sends them. */
export function standardWebhookHeaders(secret: string, id: string, body: string): Record<string, string> {
  const ts = Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(ts),
    'webhook-signature': signStandardWebhook(secret, id, ts, body),
  };
}

/** A webhook request carrying `record` as JSON, signed with `secret` (for `callWebhook`'s `request`). */
export function signedJsonRequest(
  secret: string,
  id: string,
  record: IDataObject,
): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify(record);
  return { headers: standardWebhookHeaders(secret, id, body), body };
}

/** Closes the process-wide pool of connectors and stores first, then each resource in order (skipping unset ones). */
export async function releaseAll(...resources: readonly ({ close(): unknown } | undefined)[]): Promise<void> {
  await resourcePool().closeAll();
  for (const resource of resources) await resource?.close();
}
