import type { NavigationDef, PropertyDef, SimRecord } from './edm';

/** What a write may do to a data set; anything else answers 405 (reference A.11, "Ops" columns). */
export interface WriteCapabilities {
  readonly create: boolean;
  readonly update: boolean;
}

/** A problem with one property of a write, reported in the error body's details. */
export interface ValidationIssue {
  readonly property: string;
  readonly message: string;
}

/** Server-side context a create needs (who writes, when). */
export interface CreateContext {
  readonly user: string;
  readonly now: number;
  /** Whether a record with this key exists already (base or overlay). */
  exists(key: SimRecord): boolean;
  /** A fresh number for this data set, from its own number range. */
  nextNumber(): number;
  /** A record of another data set by key, as a read would see it. */
  lookup(dataSet: string, key: SimRecord): SimRecord | undefined;
}

/**
 * A data set: a lazily generated, deterministic sequence of records (index 0 … size-1) plus the rules for
 * writing it. Generated records must be non-decreasing in every property listed in `monotone` (keys first),
 * which is what lets queries binary-search index ranges instead of scanning a million records.
 */
export interface DataSetDef {
  readonly name: string;
  readonly keys: readonly string[];
  readonly properties: readonly PropertyDef[];
  readonly navigations: readonly NavigationDef[];
  /** Properties non-decreasing in the base index (nulls count as lowest, so they may only form a prefix). */
  readonly monotone: readonly string[];
  /** Stamps the change fields of a record a write has just changed (so delta reads see it). */
  touch(record: SimRecord, now: number): SimRecord;
  readonly writes: WriteCapabilities;
  /** Navigation payloads a create accepts (deep insert) and drops: the simulator keeps no child documents. */
  readonly deepInsert?: readonly string[];
  /** How many base records a simulator of `size` holds. */
  baseCount(size: number): number;
  generate(index: number): SimRecord;
  /** The base index a key belongs to, or undefined when the key cannot be a generated record. */
  indexOfKey(key: SimRecord): number | undefined;
  /** Completes a create request into a full record (keys, defaults) or explains why it cannot. */
  create(input: SimRecord, context: CreateContext): SimRecord | ValidationIssue[];
  /** Business rules beyond types, for creates and updates of the merged record. */
  validate(record: SimRecord): ValidationIssue[];
}
