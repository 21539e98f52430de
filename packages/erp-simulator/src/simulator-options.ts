import type { FaultConfig } from './faults/fault-config';
import type { MesRateLimit } from './mes';
import type { SapOptions } from './sap/sap-options';

export type SimulatedService = 'sap' | 'mes';

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1: the simulator accepts well-known credentials and must not face a network. */
  readonly host?: string;
  /** Seeds the data and the fault generator. Default 42. */
  readonly seed?: number;
  /** Records per SAP entity set (production orders, equipment…), up to 1,000,000; generated lazily. Default 1000. */
  readonly size?: number;
  /** Default both. */
  readonly services?: readonly SimulatedService[];
  readonly sap?: SapOptions;
  readonly mes?: {
    /** Seeded MES jobs; the MES seeds eagerly, so this defaults to min(size, 1000). */
    readonly size?: number;
    /** Require `Authorization: Bearer <apiKey>` on the MES API. */
    readonly apiKey?: string;
    readonly rateLimit?: MesRateLimit;
  };
  /** Faults active from the start (same shape as PUT /__sim/faults). */
  readonly faults?: FaultConfig;
  /** How many requests the log keeps. Default 10,000. */
  readonly requestLogSize?: number;
}

export const MAX_SIZE = 1_000_000;
