import { homedir } from 'node:os';
import { join } from 'node:path';

import type { NodeRedApi } from './node-red';

/**
 * Tunables an operator may set in Node-RED's settings.js, each with a default that suits a gateway. Node-RED
 * asks nodes to prefix their settings with the node type in camel case; all of Takt's start with `takt`.
 * How long a released connection or store stays open for the next deploy is the runtime pool's
 * `TAKT_POOL_IDLE_MS` environment variable (default 30 s), shared with every other Takt host in the process.
 *
 * | setting | default | what |
 * |---|---|---|
 * | `taktCloseTimeoutMs` | 10000 | how long a node's close may take (Node-RED gives up after 15 s) |
 * | `taktWebhookMaxBytes` | 1048576 | largest webhook body accepted (413 above) |
 * | `taktPollMinIntervalS` | 5 | the shortest poll interval a takt-sap-poll node may use |
 */
export interface TaktSettings {
  readonly closeTimeoutMs: number;
  readonly webhookMaxBytes: number;
  readonly pollMinIntervalS: number;
}

const DEFAULTS: TaktSettings = {
  closeTimeoutMs: 10_000,
  webhookMaxBytes: 1024 * 1024,
  pollMinIntervalS: 5,
};

const KEYS: Readonly<Record<keyof TaktSettings, string>> = {
  closeTimeoutMs: 'taktCloseTimeoutMs',
  webhookMaxBytes: 'taktWebhookMaxBytes',
  pollMinIntervalS: 'taktPollMinIntervalS',
};

/** The settings in force; a value that is not a non-negative finite number falls back to its default. */
export function taktSettings(RED: NodeRedApi): TaktSettings {
  const read = (name: keyof TaktSettings): number => {
    const value = settingValue(RED, KEYS[name]);
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DEFAULTS[name];
  };
  return {
    closeTimeoutMs: read('closeTimeoutMs'),
    webhookMaxBytes: read('webhookMaxBytes'),
    pollMinIntervalS: read('pollMinIntervalS'),
  };
}

/** Node-RED's userDir (where the default SQLite file lives): settings.userDir, else ~/.node-red. */
export function userDir(RED: NodeRedApi): string {
  const dir = settingValue(RED, 'userDir');
  return typeof dir === 'string' && dir !== '' ? dir : join(homedir(), '.node-red');
}

function settingValue(RED: NodeRedApi, key: string): unknown {
  try {
    return RED.settings[key];
  } catch {
    // Node-RED's settings object throws for keys that were never set on some versions.
    return undefined;
  }
}
