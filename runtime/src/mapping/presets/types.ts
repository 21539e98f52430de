import type { DeltaFieldType } from '../../connectors/types';
import type { MappingDirection, MappingSpec } from '../types';

/** The ERP families presets exist for; Dynamics and Oracle presets slot in beside SAP's. */
export type PresetSystem = 'sap' | 'dynamics' | 'oracle';

/**
 * What a preset's output is shaped for when it is not a canonical entity: the wire records of a target API,
 * ready for Upsert Sync on that target's entity. The mapping's `canonical` then names the shape,
 * `<system>/<entity>` ("mes-sync/jobs"), which Map validates the output against (presets/mes/wire-shapes.ts).
 */
export interface PresetTarget {
  /** The target API: the MES sync API of the `mes-sync-api` connection profile. */
  readonly system: 'mes-sync';
  /** The Upsert Sync entity on that target ("jobs", "operations", "cells"). */
  readonly entity: string;
}

/**
 * A ready mapping between one ERP entity set and one canonical entity, plus what a connector and the sync
 * engine need to know about that entity set. Users start from a preset and override single fields
 * (fromPreset), so a preset maps the fields most integrations need and leaves the rest out.
 */
export interface MappingPreset {
  /**
   * `system/service/entitySet`: "sap/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrder_2"; a preset with a `target`
   * adds the target shape: "sap/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrder_2/mes-sync/jobs".
   */
  readonly id: string;
  readonly system: PresetSystem;
  /** For pickers: "SAP production orders → work orders". */
  readonly title: string;
  /** The ERP service (SAP OData service, Business Central API, Oracle REST resource collection). */
  readonly service: string;
  /** The entity set (or resource) inside the service. */
  readonly entitySet: string;
  /** OData protocol version of the service; absent for plain REST resources. */
  readonly odataVersion?: 'v2' | 'v4';
  /** The ERP properties that form the entity's key, in key order. */
  readonly keyFields: readonly string[];
  /** Property for incremental reads and how it is typed on the wire; absent when the entity has none. */
  readonly deltaField?: string;
  readonly deltaFieldType?: DeltaFieldType;
  /** What to know before relying on the delta field (overlap, fallbacks, what is unverified). */
  readonly deltaNote?: string;
  /** Directions the preset's fields are meant for. */
  readonly directions: readonly MappingDirection[];
  /**
   * Classic names seen in the field but not confirmed by a source for this API; they are NOT in the
   * mapping's aliases (a wrong alias would silently map the wrong property). Listed so docs and UIs can say so.
   */
  readonly unverifiedAliases?: Readonly<Record<string, string>>;
  /** Set when the output is a target API's wire record rather than a canonical entity; inbound only. */
  readonly target?: PresetTarget;
  readonly mapping: MappingSpec;
}

/**
 * What a preset says about the ERP entity set it reads (service, key, delta field), apart from its mapping:
 * presets that read the same entity set into different shapes (a canonical entity, a target's wire records)
 * share one of these so the source facts are stated once.
 */
export type PresetSource = Pick<
  MappingPreset,
  'system' | 'service' | 'entitySet' | 'odataVersion' | 'keyFields' | 'deltaField' | 'deltaFieldType' | 'deltaNote'
>;
