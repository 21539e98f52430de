/**
 * The mapping contract: how an ERP record and a canonical entity correspond, field by field. One spec serves
 * both directions. Inbound (ERP → canonical) writes `canonical` from the ERP record; outbound (canonical →
 * ERP) writes the `erp` property from the canonical record. Specs are plain JSON so they live in n8n node
 * parameters, Node-RED config and `case*.json` conformance files alike.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type FieldType =
  'STRING' | 'INTEGER' | 'DECIMAL' | 'BOOLEAN' | 'DATE' | 'DATETIME' | 'ENUM' | 'REFERENCE' | 'JSON';

export type MappingDirection = 'inbound' | 'outbound';
export type FieldDirection = MappingDirection | 'both';

/**
 * How the ERP writes a date-time, for reading (inbound) and writing (outbound). `auto` reads any of them
 * (ISO 8601, OData V2 `/Date(ms±offset)/`, SAP 14-character `YYYYMMDDhhmmss`, SAP 8-character `YYYYMMDD`)
 * and cannot be used outbound. `sap14` is for DATETIME fields only, `sap8` (ABAP DATS) for DATE fields only.
 */
export type DateTimeFormat = 'auto' | 'iso' | 'odata-v2' | 'sap14' | 'sap8';

/**
 * How the ERP writes a BOOLEAN: `json` true / false (OData V4, CDS-based SAP APIs, Dynamics), `sap` ABAP
 * flags 'X' / '' (older `_SRV` APIs), `netsuite` 'T' / 'F'. Inbound every form is read whatever the setting,
 * except that '' counts as false only under `sap` (elsewhere '' is a missing value).
 */
export type BooleanFormat = 'json' | 'sap' | 'netsuite';

/**
 * How an INTEGER or DECIMAL is written outbound. `string` is exact and what SAP expects for Edm.Decimal and
 * Edm.Int64; `number` writes a JSON number and fails the record when the value does not fit one exactly.
 */
export type NumberFormat = 'string' | 'number';

/** One rule of an ENUM read from flags: the canonical `value` when any of the `erp` flags is set. */
export interface EnumFlag {
  /** ERP flag properties, dot paths like `erp` (classic names through the aliases). */
  readonly erp: readonly string[];
  /** The canonical value when one of them is set. */
  readonly value: string;
}

/**
 * An ENUM reads one ERP property through `values`, or a status spread over several ABAP flags through
 * `flags` (exactly one of the two).
 */
export interface EnumSpec {
  /** ERP value → canonical value. Outbound uses the inverse, which must therefore be unambiguous. */
  readonly values?: Readonly<Record<string, string>>;
  /**
   * Inbound only, and instead of `erp`: the value of the first rule with a set flag, a flag being set when it
   * is 'X' (older `_SRV` APIs) or true (CDS-based ones; erp-protocols.md A.5). Order the rules most final
   * first (deleted before closed before released). With no flag set the value is missing, so the field's
   * `default` gives the status of an order nothing has happened to yet.
   */
  readonly flags?: readonly EnumFlag[];
  /**
   * `values` only: what an unmapped value becomes, an error (MAPPING_ENUM_UNKNOWN, the default) or this
   * canonical value.
   */
  readonly unknown?: 'error' | { readonly default: string };
}

export interface ReferenceSpec {
  /** The canonical entity referred to ("work_order"). */
  readonly entity: string;
  /** The external source the id belongs to; defaults to the mapping context's source. */
  readonly source?: string;
}

export interface FieldMapping {
  /** Canonical field, as a dot path ("quantity.good"). Inbound target; outbound the value's origin. */
  readonly canonical: string;
  /**
   * ERP property as a dot path of names ("d.ManufacturingOrder"); classic SAP names (AUFNR) resolve through
   * the spec's aliases. Read with JSONata's path semantics but without JSONata (the fast path); array indexes
   * and other syntax need an `expression`.
   */
  readonly erp?: string;
  /**
   * DATETIME only: the ERP property holding the time of day when the ERP keeps a date-time as a date in `erp`
   * plus a wall-clock time in the field's zone (SAP's `MfgOrderPlannedStartDate` + `…StartTime`, A.11). Read
   * from and written to both properties; `format` names both halves: 'odata-v2' `/Date(ms)/` + Edm.Time
   * `PT08H30M00S`, 'iso' `2024-05-01` + `08:30:00` (V4), 'sap14' `20240501` + `083000`, 'auto' (inbound) any.
   * A missing date is a missing value whatever the time says; a missing time is midnight. A dot path like
   * `erp`; not combined with an expression or constant.
   */
  readonly erpTime?: string;
  /** Inbound JSONata over the whole ERP record, instead of reading `erp`. */
  readonly expression?: string;
  /** Outbound JSONata over the whole canonical record, giving the value written to `erp`. */
  readonly outboundExpression?: string;
  /**
   * A fixed value, read as if the source record held it: inbound an ERP value, outbound a canonical value,
   * converted by the field's type like any other (a BOOLEAN `true` is written 'X' under booleanFormat 'sap').
   * Checked when the mapping compiles.
   */
  readonly constant?: JsonValue;
  readonly type: FieldType;
  /**
   * Default 'both', except that a field without `erp`, or with an `expression` but no `outboundExpression`,
   * is inbound only. An explicit direction is checked: 'both' or 'outbound' without `erp` fails compile.
   */
  readonly direction?: FieldDirection;
  /** Part of the record's identity (external id, upsert key). Key fields are required. */
  readonly key?: boolean;
  /** A missing (undefined, null or '') value fails the record with MAPPING_FIELD_REQUIRED. */
  readonly required?: boolean;
  /**
   * Used when the source value is missing, before the required check. A canonical value ('PC', '0', an enum's
   * canonical value, a target id): inbound it is the output as is, outbound it is written like a read value.
   */
  readonly default?: JsonValue;
  /** DATETIME / DATE wire format on the ERP side. Default 'auto' inbound, 'iso' outbound ('auto' cannot write). */
  readonly format?: DateTimeFormat;
  /** IANA zone for ERP values without an offset (SAP 14-character stamps, local dates). Overrides the spec's. */
  readonly timeZone?: string;
  /** BOOLEAN only: the ERP's flag convention. Default 'json'. */
  readonly booleanFormat?: BooleanFormat;
  /** INTEGER / DECIMAL only: the outbound wire form. Default 'number' for INTEGER, 'string' for DECIMAL. */
  readonly numberFormat?: NumberFormat;
  /**
   * STRING only, inbound: drop the leading zeros of an all-digit value ('000000000010000042' → '10000042'),
   * SAP's ALPHA conversion exit undone so ids from APIs that pad and APIs that do not compare equal (A.11).
   * Other values are kept verbatim; outbound writes the canonical value as it is.
   */
  readonly trimLeadingZeros?: boolean;
  /** ENUM only. */
  readonly enum?: EnumSpec;
  /** REFERENCE only: the referred entity, looked up in the id map. */
  readonly reference?: ReferenceSpec;
}

/** Whole-record mode: one JSONata expression per direction turns the input record into the output record. */
export interface RecordTransform {
  readonly inbound?: string;
  readonly outbound?: string;
}

export interface MappingSpec {
  /** For messages: "sap.production-order→work_order" or the user's own name. */
  readonly name: string;
  /** The canonical entity the mapping produces or consumes ("work_order"); its zod schema validates output. */
  readonly canonical: string;
  /** The connector entity on the ERP side ("A_ProductionOrder_2"), when it is tied to one. */
  readonly erpEntity?: string;
  /** IANA zone for ERP date-times without an offset. Default 'UTC'. */
  readonly timeZone?: string;
  /** Classic name → API property (AUFNR → ManufacturingOrder), accepted in `erp` paths. */
  readonly aliases?: Readonly<Record<string, string>>;
  readonly fields?: readonly FieldMapping[];
  /** Whole-record JSONata mode, used instead of `fields` for its direction. */
  readonly transform?: RecordTransform;
}

/** One problem with one field of one record, zod-style: a discriminating code and a path. */
export interface MappingIssue {
  /** A Takt error code (MAPPING_TYPE_INVALID, MAPPING_FIELD_REQUIRED, RECORD_INVALID, …). */
  readonly code: string;
  /** Where: the output field path ("quantity.good"), or the mapping path for compile errors ("fields[3].expression"). */
  readonly path: string;
  readonly message: string;
}

/** Resolves a REFERENCE field: another entity's external id → the target id written earlier (id map). */
export type ReferenceResolver = (
  entity: string,
  source: string,
  externalId: string,
) => Promise<string | undefined> | string | undefined;

/** The inverse lookup for outbound REFERENCE fields: a target id → the external id it was synced from. */
export type ExternalIdResolver = (
  entity: string,
  source: string,
  targetId: string,
) => Promise<string | undefined> | string | undefined;

export interface MapContext {
  /** The external source of the records (`external_source`), for references and keys. */
  readonly source?: string;
  /** Inbound REFERENCE fields: external id → target id. Without it every such field is unresolved. */
  readonly resolveReference?: ReferenceResolver;
  /** Outbound REFERENCE fields: target id → external id. Without it every such field is unresolved. */
  readonly resolveExternalId?: ExternalIdResolver;
}

/**
 * The result for one input record, keyed by its index. `key` is `JSON.stringify` of the key fields' canonical
 * values in field order (`'["1000123"]'`, `'[]'` without key fields): stable across both directions, so the
 * same record has the same key whether it was read from the ERP or is about to be written to it.
 */
export type MapRecordResult =
  | { readonly index: number; readonly ok: true; readonly output: Record<string, unknown>; readonly key: string }
  | { readonly index: number; readonly ok: false; readonly issues: readonly MappingIssue[] };
