/**
 * The simulator's neutral property model. One definition serves both protocol versions; the V2 and V4
 * serializers map each kind to the Edm type and JSON encoding that version uses (reference A.5, A.7).
 */
export type PropertyKind =
  /** Edm.String. */
  | 'string'
  /** Edm.Decimal; held as a decimal string so no precision is lost. */
  | 'decimal'
  /** Edm.Int32. */
  | 'int'
  /** Edm.Boolean in both versions (CDS-based APIs). */
  | 'boolean'
  /** ABAP flag: Edm.String(1) "X"/"" in V2 (older _SRV APIs), Edm.Boolean in V4 (RAP). Held as boolean. */
  | 'flag'
  /** Date only: V2 Edm.DateTime with sap:display-format="Date" at midnight UTC; V4 Edm.Date. Held as ms. */
  | 'date'
  /** V2 Edm.DateTime; V4 Edm.DateTimeOffset. Held as ms. */
  | 'datetime'
  /** Edm.DateTimeOffset in both. Held as ms. */
  | 'datetimeoffset'
  /** V2 Edm.Time (ISO duration); V4 Edm.TimeOfDay. Held as ms since midnight. */
  | 'time'
  /** Edm.String(14) holding YYYYMMDDhhmmss UTC: the production order delta field (reference A.11). */
  | 'timestamp14'
  /** Edm.Guid. Held as a lower-case string. */
  | 'guid';

export type Value = string | number | boolean | null;

/** One record in the simulator's internal form (see PropertyKind for how each kind is held). */
export type SimRecord = Record<string, Value>;

export interface PropertyDef {
  readonly name: string;
  readonly kind: PropertyKind;
  readonly maxLength?: number;
  readonly precision?: number;
  readonly scale?: number;
  /** Non-key properties are nullable unless said otherwise. */
  readonly nullable?: boolean;
  /**
   * Numeric text with an ABAP conversion exit (AUFNR, EQUNR…): the API returns it without leading zeros and
   * accepts both forms on input (reference A.11, "Leading zeros").
   */
  readonly alpha?: boolean;
  /** Set by the server; ignored (not rejected) when a client sends it, as Gateway does for computed fields. */
  readonly computed?: boolean;
  /** Must be present in a create request. */
  readonly requiredOnCreate?: boolean;
}

export interface NavigationDef {
  readonly name: string;
  /** The data set the navigation leads to. */
  readonly target: string;
  /** Pairs (source property, target property) that join the two. */
  readonly on: readonly (readonly [string, string])[];
}
