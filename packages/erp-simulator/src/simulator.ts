import type { AddressInfo } from 'node:net';
import { FaultController } from './faults/fault-controller';
import { RequestLog } from './log/request-log';
import { createMesService, MES_BASE_PATH, type MesTestHandles } from './mes';
import { createSapService, type SapHandle } from './sap/sap-service';
import { createSimServer } from './server/http-server';
import type { SimService } from './service';
import { MAX_SIZE, type SimulatorOptions } from './simulator-options';

export interface RunningSimulator {
  /** Base URL, e.g. http://127.0.0.1:4010 (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly faults: FaultController;
  readonly requests: RequestLog;
  /** Present when the SAP service runs. */
  readonly sap?: SapHandle;
  /** Present when the MES service runs. */
  readonly mes?: MesTestHandles & { readonly basePath: string };
  close(): Promise<void>;
}

/** Starts the simulator on loopback and resolves once it listens. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const seed = options.seed ?? 42;
  const size = options.size ?? 1000;
  if (!Number.isInteger(size) || size < 0 || size > MAX_SIZE) {
    throw new RangeError(`size must be an integer between 0 and ${MAX_SIZE}`);
  }
  const wanted = new Set(options.services ?? ['sap', 'mes']);
  const faults = new FaultController(seed);
  const requests = new RequestLog(options.requestLogSize);
  const services: SimService[] = [];

  let sap: SapHandle | undefined;
  if (wanted.has('sap')) {
    const created = createSapService({
      seed,
      size,
      ...(options.sap ? { sap: options.sap } : {}),
      validationFault: (set, record) => faults.validationFailure(set, record),
    });
    services.push(created.service);
    sap = created.handle;
    faults.attachSap({
      expireCsrfTokens: created.handle.expireCsrfTokens,
      expireOAuthTokens: created.handle.expireOAuthTokens,
    });
  }
  let mes: RunningSimulator['mes'];
  if (wanted.has('mes')) {
    const service = createMesService({
      seed,
      size: options.mes?.size ?? Math.min(size, 1000),
      ...(options.mes?.apiKey === undefined ? {} : { apiKey: options.mes.apiKey }),
      ...(options.mes?.rateLimit ? { rateLimit: options.mes.rateLimit } : {}),
    });
    services.push(service);
    mes = {
      basePath: MES_BASE_PATH,
      counts: (entity) => service.counts(entity),
      effects: () => service.effects(),
      record: (entity, externalId, source) => service.record(entity, externalId, source),
      records: (entity) => service.records(entity),
    };
  }
  if (options.faults) faults.set(options.faults);

  const server = createSimServer({ services, faults, requests });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    faults,
    requests,
    ...(sap ? { sap } : {}),
    ...(mes ? { mes } : {}),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
