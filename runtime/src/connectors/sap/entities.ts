import { TaktError } from '../../errors';
import type { DeltaFieldType, EntityCapabilities, EntityDescriptor } from '../types';
import type { KeyType } from './key-predicate';
import { assertPropertyName } from './odata-literal';
import { ODATA_VERSIONS, type ODataVersion } from './odata-version';

/**
 * An SAP entity set as the connector reads and writes it. The built-in presets below cover the manufacturing
 * APIs of reference A.11; integrators add their own (a `Z…_SRV` service) through `customEntities`.
 */
export interface SapEntityConfig {
  /** What callers pass to read/write ("production-orders"); custom entities often use the entity set name. */
  readonly name: string;
  readonly title?: string;
  /** Service name (`API_PRODUCTION_ORDER_2_SRV`); the key of the `services` option. */
  readonly service: string;
  readonly entitySet: string;
  readonly keyFields: readonly string[];
  /** Key properties that are not Edm.String (Equipment's `ValidityEndDate` is Edm.DateTime). */
  readonly keyTypes?: Readonly<Record<string, KeyType>>;
  readonly deltaField?: string;
  readonly deltaFieldType?: DeltaFieldType;
  readonly canonical?: string;
  /** Defaults: read only, `$batch` on. */
  readonly capabilities?: Partial<EntityCapabilities>;
  /** The version this entity set speaks when its service does not say; otherwise the connector's default. */
  readonly odataVersion?: ODataVersion;
  /** The same entity in the service's V4 successor, where it differs (names, keys, delta field). */
  readonly v4?: Partial<Omit<SapEntityConfig, 'name' | 'v4' | 'odataVersion'>> & { readonly servicePath?: string };
}

/** Where a service lives and which OData version it speaks; a plain string is its path. */
export type SapServiceConfig = string | { readonly path?: string; readonly odataVersion?: ODataVersion };

/** An entity with everything resolved: its service root, version, keys and literal types. */
export interface SapEntity extends EntityDescriptor {
  readonly service: string;
  /** Service root path under the connection's base URL, without a trailing slash. */
  readonly servicePath: string;
  readonly entitySet: string;
  readonly odataVersion: ODataVersion;
  readonly keyTypes: Readonly<Record<string, KeyType>>;
}

const READ_ONLY: EntityCapabilities = {
  read: true,
  create: false,
  update: false,
  delete: false,
  upsert: false,
  batch: true,
};
const CREATE_UPDATE: Partial<EntityCapabilities> = { create: true, update: true };

/**
 * The manufacturing APIs of S/4HANA (reference A.11), with the operations their 2021 OpenAPI files list.
 * `upsert` stays false everywhere: Gateway has no native upsert, so the connector reads by key and then
 * creates or updates (write mode 'upsert' still works).
 */
export const SAP_ENTITY_PRESETS: readonly SapEntityConfig[] = [
  {
    name: 'production-orders',
    title: 'Production orders (API_PRODUCTION_ORDER_2_SRV)',
    service: 'API_PRODUCTION_ORDER_2_SRV',
    entitySet: 'A_ProductionOrder_2',
    keyFields: ['ManufacturingOrder'],
    // Edm.String(14) `YYYYMMDDhhmmss` UTC, not a date type (reference A.11).
    deltaField: 'LastChangeDateTime',
    deltaFieldType: 'timestamp14',
    canonical: 'work_order',
    capabilities: CREATE_UPDATE,
  },
  {
    name: 'production-order-operations',
    title: 'Production order operations (API_PRODUCTION_ORDER_2_SRV)',
    service: 'API_PRODUCTION_ORDER_2_SRV',
    entitySet: 'A_ProductionOrderOperation_2',
    keyFields: ['OrderInternalBillOfOperations', 'OrderIntBillOfOperationsItem'],
    deltaField: 'LastChangeDateTime',
    deltaFieldType: 'timestamp14',
    canonical: 'operation',
  },
  {
    name: 'confirmations',
    title: 'Production order confirmations (API_PROD_ORDER_CONFIRMATION_2_SRV)',
    service: 'API_PROD_ORDER_CONFIRMATION_2_SRV',
    entitySet: 'ProdnOrdConf2',
    keyFields: ['ConfirmationGroup', 'ConfirmationCount'],
    // Append-only documents; no single change timestamp. LastChangeDate is date-only: `ge` re-reads the day.
    deltaField: 'LastChangeDate',
    deltaFieldType: 'datetime',
    canonical: 'production_data',
    capabilities: { create: true },
  },
  {
    name: 'equipment',
    title: 'Equipment (API_EQUIPMENT)',
    service: 'API_EQUIPMENT',
    entitySet: 'Equipment',
    keyFields: ['Equipment', 'ValidityEndDate'],
    keyTypes: { ValidityEndDate: 'datetime' },
    // Typed DateTime or DateTimeOffset depending on the release (reference F.2); the offset form works on both
    // in V2 (reference A.7, observed). Empty for never-changed records: those need a full read.
    deltaField: 'LastChangeDateTime',
    deltaFieldType: 'datetimeoffset',
    canonical: 'machine',
    capabilities: CREATE_UPDATE,
  },
  {
    name: 'work-centers',
    title: 'Work centers (API_WORK_CENTERS)',
    service: 'API_WORK_CENTERS',
    entitySet: 'A_WorkCenters',
    keyFields: ['WorkCenterInternalID', 'WorkCenterTypeCode'],
    // No change timestamp on the V2 header (reference A.11): work centers are read in full.
    canonical: 'work_center',
    v4: {
      service: 'API_WORK_CENTER',
      servicePath: '/sap/opu/odata4/sap/api_work_center/srvd_a2x/sap/workcenter/0001',
      entitySet: 'WorkCenterHeader',
    },
  },
  {
    name: 'maintenance-notifications',
    title: 'Maintenance notifications (API_MAINTNOTIFICATION)',
    service: 'API_MAINTNOTIFICATION',
    entitySet: 'MaintenanceNotification',
    keyFields: ['MaintenanceNotification'],
    deltaField: 'LastChangeDateTime',
    deltaFieldType: 'datetimeoffset',
    canonical: 'downtime',
    capabilities: CREATE_UPDATE,
  },
];

/** V2 services live under one namespace path (reference A.1). */
const V2_ROOT = '/sap/opu/odata/sap';

export interface EntityResolution {
  readonly odataVersion: ODataVersion;
  readonly services?: Readonly<Record<string, SapServiceConfig>>;
  readonly customEntities?: readonly SapEntityConfig[];
}

/**
 * The entities of one connection: presets, then custom entities (a custom entity with a preset's name
 * replaces it). Throws CONFIG_INVALID for a malformed custom entity.
 */
export function resolveEntities(options: EntityResolution): Map<string, SapEntity> {
  const entities = new Map<string, SapEntity>();
  for (const config of [...SAP_ENTITY_PRESETS, ...(options.customEntities ?? [])]) {
    const entity = resolveEntity(config, options);
    entities.set(entity.name, entity);
  }
  return entities;
}

function resolveEntity(base: SapEntityConfig, options: EntityResolution): SapEntity {
  const service = options.services?.[base.service];
  const serviceVersion = typeof service === 'object' ? service.odataVersion : undefined;
  const version = serviceVersion ?? base.odataVersion ?? options.odataVersion;
  if (!ODATA_VERSIONS.includes(version)) {
    throw new TaktError('CONFIG_INVALID', `odataVersion must be 'v2' or 'v4' (got "${String(version)}").`, {
      details: { field: 'odataVersion' },
    });
  }
  const config: SapEntityConfig & { servicePath?: string } =
    version === 'v4' && base.v4 ? { ...base, ...base.v4 } : base;
  const configured = options.services?.[config.service] ?? options.services?.[base.service];
  const path = typeof configured === 'string' ? configured : configured?.path;
  const servicePath = trimPath(path ?? config.servicePath ?? `${V2_ROOT}/${config.service}`);
  if (config.keyFields.length === 0) invalid(config.name, 'needs at least one key field');
  for (const field of config.keyFields) assertPropertyName(field, `${config.name} key field`);
  if (config.deltaField !== undefined) assertPropertyName(config.deltaField, `${config.name} deltaField`);
  if ((config.deltaField === undefined) !== (config.deltaFieldType === undefined)) {
    invalid(config.name, 'needs deltaField and deltaFieldType together');
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(config.entitySet)) invalid(config.name, 'has an invalid entitySet name');
  return {
    name: base.name,
    title: config.title ?? config.entitySet,
    keyFields: config.keyFields,
    ...(config.deltaField !== undefined ? { deltaField: config.deltaField } : {}),
    ...(config.deltaFieldType !== undefined ? { deltaFieldType: config.deltaFieldType } : {}),
    ...(config.canonical !== undefined ? { canonical: config.canonical } : {}),
    capabilities: { ...READ_ONLY, ...config.capabilities },
    service: config.service,
    servicePath,
    entitySet: config.entitySet,
    odataVersion: version,
    keyTypes: config.keyTypes ?? {},
  };
}

/**
 * V4 service paths have no naming rule the connector could derive (binding, definition and version are the
 * RAP developer's choice), so a V4 entity without a configured path would go to a V2 URL: the caller gets a
 * clear 404 message from `test()` naming the path it tried.
 */
function trimPath(path: string): string {
  const trimmed = path.trim().replace(/\/+$/, '');
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

function invalid(name: string, what: string): never {
  throw new TaktError('CONFIG_INVALID', `The SAP entity "${name}" ${what}.`, { details: { field: 'customEntities' } });
}
