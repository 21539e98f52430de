import { TaktError } from '../../errors';
import type { FieldMapping, MappingSpec } from '../types';
import { SAP_MES_PRESETS } from './mes';
import { SAP_PRESETS } from './sap';
import type { MappingPreset, PresetSystem } from './types';

/**
 * Every preset by id (`system/service/entitySet`, plus `/<target shape>` for presets that produce a target
 * API's records, such as the SAP → MES sync API ones). Dynamics and Oracle presets are added by spreading their
 * system's list in here, as SAP's is.
 */
export const PRESETS: Readonly<Record<string, MappingPreset>> = Object.freeze(
  Object.fromEntries([...SAP_PRESETS, ...SAP_MES_PRESETS].map((preset) => [preset.id, preset])),
);

export function getPreset(id: string): MappingPreset {
  const preset = Object.prototype.hasOwnProperty.call(PRESETS, id) ? PRESETS[id] : undefined;
  if (!preset) {
    throw new TaktError(
      'MAPPING_INVALID',
      `Unknown mapping preset "${id}". Known presets: ${Object.keys(PRESETS).join(', ')}.`,
      {
        details: { preset: id },
      },
    );
  }
  return preset;
}

/** The presets of one system, or all of them, in registration order. */
export function listPresets(system?: PresetSystem): MappingPreset[] {
  return Object.values(PRESETS).filter((preset) => system === undefined || preset.system === system);
}

export interface PresetOverrides {
  /**
   * Fields to use instead of the preset's: each replaces every preset field with the same canonical name
   * (a preset may write one canonical field to several ERP properties, e.g. a date and a time), or is added
   * when the preset has none.
   */
  readonly fields?: readonly FieldMapping[];
  /** Canonical names whose preset fields are dropped. Naming one the preset lacks is an error (a typo). */
  readonly remove?: readonly string[];
  /** The zone of the ERP's date-times without an offset: the plant's zone for SAP date + time pairs. */
  readonly timeZone?: string;
  /** Classic names to accept on top of the preset's confirmed ones (e.g. from its unverifiedAliases). */
  readonly aliases?: Readonly<Record<string, string>>;
  /**
   * The connection's external source ("sap-prd-100"): inbound records get it as `external_source`, which every
   * canonical entity requires and no ERP payload carries. Presets cannot know it; it names the connection. A
   * preset that writes a default source (the MES presets' "sap") has that field replaced.
   */
  readonly source?: string;
  /** A name for messages; default the preset mapping's. */
  readonly name?: string;
}

/**
 * A mapping spec that starts from a preset and changes single fields: the way users adapt a preset to their
 * system without copying it. The preset itself is never modified.
 */
export function fromPreset(id: string, overrides: PresetOverrides = {}): MappingSpec {
  const { mapping } = getPreset(id);
  const presetFields = mapping.fields ?? [];
  const known = new Set(presetFields.map((field) => field.canonical));
  const unknown = (overrides.remove ?? []).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new TaktError(
      'MAPPING_INVALID',
      `Cannot remove ${unknown.map((name) => `"${name}"`).join(', ')} from preset ${id}: it has no such field. ` +
        `Its fields: ${[...known].join(', ')}.`,
      { details: { preset: id, remove: unknown } },
    );
  }
  const replaced = new Set([...(overrides.remove ?? []), ...(overrides.fields ?? []).map((f) => f.canonical)]);
  const overridden = (overrides.fields ?? []).some((field) => field.canonical === 'external_source');
  if (overrides.source !== undefined && !overridden) replaced.add('external_source');
  const fields: FieldMapping[] = [
    ...presetFields.filter((field) => !replaced.has(field.canonical)),
    ...(overrides.fields ?? []),
  ];
  if (overrides.source !== undefined && !overridden) {
    fields.push({ canonical: 'external_source', constant: overrides.source, type: 'STRING', direction: 'inbound' });
  }
  const aliases = { ...mapping.aliases, ...overrides.aliases };
  return {
    ...mapping,
    name: overrides.name ?? mapping.name,
    ...(overrides.timeZone !== undefined ? { timeZone: overrides.timeZone } : {}),
    ...(Object.keys(aliases).length > 0 ? { aliases } : {}),
    fields,
  };
}
