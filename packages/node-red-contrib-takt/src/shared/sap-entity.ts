import { customEntity, SAP_ENTITY_PRESETS, TaktError, type Connector } from '@takt/runtime';

import { HeldResource, type TaktSapConnectionNode } from './config-node';
import { textField } from './connection-check';
import type { NodeDef } from './node-red';

/**
 * The SAP entity a node works on, from its `entity` field: a preset (`production-orders`, …) served by the
 * connection's shared connector, or `custom` — an entity set the user names (service, entity set, key
 * fields, optional changed-at field) — served by a connector of its own that the node holds until it closes.
 */
export interface SapEntitySelection {
  /** The entity name the runtime knows: the preset's name, or `<service>/<entitySet>`. */
  readonly entity: string;
  connector(): Promise<Connector>;
  /** Releases a custom entity's connector (a preset's belongs to the connection). */
  close(timeoutMs: number): Promise<void>;
}

export const CUSTOM_ENTITY = 'custom';

/** Throws CONFIG_INVALID naming the field when the entity or a custom entity's fields are missing. */
export function selectSapEntity(def: NodeDef, connection: TaktSapConnectionNode): SapEntitySelection {
  const chosen = textField(def, 'entity') ?? '';
  if (chosen !== CUSTOM_ENTITY) {
    if (!SAP_ENTITY_PRESETS.some((preset) => preset.name === chosen)) {
      throw new TaktError(
        'CONFIG_INVALID',
        `Entity must be one of ${SAP_ENTITY_PRESETS.map((preset) => preset.name).join(', ')} or "custom" ` +
          `(got "${chosen}").`,
      );
    }
    return { entity: chosen, connector: () => connection.connector(), close: () => Promise.resolve() };
  }
  const deltaField = textField(def, 'deltaField');
  const entity = customEntity({
    service: textField(def, 'service') ?? '',
    entitySet: textField(def, 'entitySet') ?? '',
    keyFields: textField(def, 'keyFields') ?? '',
    ...(deltaField ? { deltaField } : {}),
  });
  const held = new HeldResource('SAP connection', () => connection.acquireCustom([entity]));
  return { entity: entity.name, connector: () => held.get(), close: (timeoutMs) => held.close(timeoutMs) };
}

/** A whole-number field of at least `min` (`fallback` when empty); CONFIG_INVALID naming `label` otherwise. */
export function wholeNumberField(def: NodeDef, name: string, label: string, fallback: number, min = 1): number {
  const value = def[name];
  if (value === undefined || value === null || value === '') return fallback;
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(number) || number < min) {
    throw new TaktError(
      'CONFIG_INVALID',
      `${label} must be a whole number of at least ${min} (got "${String(value)}").`,
    );
  }
  return number;
}
