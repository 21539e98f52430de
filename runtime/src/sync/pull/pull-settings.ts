import type { EntityDescriptor } from '../../connectors';
import { TaktError } from '../../errors';
import { silentLogger, type Logger } from '../../log';
import { systemClock, type Clock } from '../../time';
import type { DeltaMode, PullOptions } from './pull-types';

export const PULL_DEFAULTS = {
  safetyLagMs: 60_000,
  pageSize: 500,
  maxRecords: 1_000,
  leaseTtlMs: 60_000,
  deliveryTtlMs: 15 * 60_000,
} as const;

/** PullOptions with every default filled in and every number checked. */
export interface PullSettings extends PullOptions {
  readonly deltaMode: DeltaMode;
  readonly safetyLagMs: number;
  readonly pageSize: number;
  readonly maxRecords: number;
  readonly leaseTtlMs: number;
  readonly deliveryTtlMs: number;
  readonly hashOf: (record: Readonly<Record<string, unknown>>) => unknown;
  readonly clock: Clock;
  readonly logger: Logger;
}

export function resolveSettings(options: PullOptions): PullSettings {
  if (typeof options.owner !== 'string' || options.owner.length === 0) invalid('owner', 'a non-empty string');
  for (const name of ['connection', 'entity', 'source'] as const) {
    if (typeof options[name] !== 'string' || options[name].length === 0) invalid(name, 'a non-empty string');
  }
  const settings: PullSettings = {
    ...options,
    deltaMode: options.deltaMode ?? 'watermark',
    safetyLagMs: options.safetyLagMs ?? PULL_DEFAULTS.safetyLagMs,
    pageSize: options.pageSize ?? PULL_DEFAULTS.pageSize,
    maxRecords: options.maxRecords ?? PULL_DEFAULTS.maxRecords,
    leaseTtlMs: options.leaseTtlMs ?? PULL_DEFAULTS.leaseTtlMs,
    deliveryTtlMs: options.deliveryTtlMs ?? PULL_DEFAULTS.deliveryTtlMs,
    hashOf: options.hashOf ?? ((record) => record),
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
  };
  if (settings.lookbackMs !== undefined) nonNegative('lookbackMs', settings.lookbackMs);
  nonNegative('safetyLagMs', settings.safetyLagMs);
  positiveInteger('pageSize', settings.pageSize);
  positiveInteger('maxRecords', settings.maxRecords);
  positive('leaseTtlMs', settings.leaseTtlMs);
  positive('deliveryTtlMs', settings.deliveryTtlMs);
  if (settings.mode === 'single' && (!settings.key || Object.keys(settings.key).length === 0)) {
    invalid('key', 'the key fields of the record to sync (single-record mode)');
  }
  return settings;
}

/** The entity's descriptor from the connector, or ENTITY_UNKNOWN naming the ones it has. */
export function findEntity(settings: PullSettings): EntityDescriptor {
  const entities = settings.connector.entities();
  const found = entities.find((entity) => entity.name === settings.entity);
  if (!found) {
    throw new TaktError(
      'ENTITY_UNKNOWN',
      `${settings.connector.kind} has no entity "${settings.entity}"; it knows ` +
        `${entities.map((entity) => entity.name).join(', ') || 'none'}.`,
      { details: { entity: settings.entity } },
    );
  }
  if (found.keyFields.length === 0) {
    throw new TaktError(
      'CONFIG_INVALID',
      `${found.name} has no key fields, so pulled records cannot be deduplicated by content hash.`,
      { details: { entity: found.name } },
    );
  }
  return found;
}

function positive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) invalid(name, 'a positive number of milliseconds');
}

function nonNegative(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) invalid(name, 'a number of milliseconds ≥ 0');
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) invalid(name, 'a whole number ≥ 1');
}

function invalid(name: string, expected: string): never {
  throw new TaktError('CONFIG_INVALID', `Pull option "${name}" must be ${expected}.`, { details: { field: name } });
}
