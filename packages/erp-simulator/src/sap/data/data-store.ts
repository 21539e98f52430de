import type { SimRecord } from '../model/edm';
import type { DataSetDef } from '../model/entity-set';
import { keyText } from './keys';

/** Puts a data store back as it was before one write: how a failed changeset rolls back (reference A.9). */
export type Undo = () => void;

/**
 * One data set's records: the generated base (never held in memory) plus an overlay of records that writes
 * created or changed. A changed base record is "moved" into the overlay: the base scan skips its index and
 * the overlay yields the new version, which is what lets a query merge the two sorted streams.
 */
export class DataStore {
  readonly baseCount: number;
  /** Overlay records by key text: created records and changed base records. */
  private readonly overlay = new Map<string, SimRecord>();
  /** Base indices whose generated version is superseded by the overlay. */
  private readonly moved = new Set<number>();
  private numberRange: number;
  /** Numbers clients chose themselves (external numbering), so the internal range skips them. */
  private readonly takenNumbers = new Set<number>();

  constructor(
    readonly def: DataSetDef,
    size: number,
    firstFreeNumber: number,
  ) {
    this.baseCount = def.baseCount(size);
    this.numberRange = firstFreeNumber;
  }

  get count(): number {
    return this.baseCount - this.moved.size + this.overlay.size;
  }

  /** Base record i as generated, or undefined when a write has superseded it. */
  base(index: number): SimRecord | undefined {
    return this.moved.has(index) ? undefined : this.def.generate(index);
  }

  isMoved(index: number): boolean {
    return this.moved.has(index);
  }

  movedIndices(): ReadonlySet<number> {
    return this.moved;
  }

  overlayRecords(): Iterable<SimRecord> {
    return this.overlay.values();
  }

  get overlaySize(): number {
    return this.overlay.size;
  }

  get(key: SimRecord): SimRecord | undefined {
    const changed = this.overlay.get(keyText(this.def.keys, key));
    if (changed) return changed;
    const index = this.baseIndex(key);
    return index === undefined || this.moved.has(index) ? undefined : this.def.generate(index);
  }

  /** Stores a created or changed record and returns how to take it back. */
  put(record: SimRecord): Undo {
    const text = keyText(this.def.keys, record);
    const previous = this.overlay.get(text);
    const index = this.baseIndex(record);
    const wasMoved = index !== undefined && this.moved.has(index);
    this.overlay.set(text, record);
    if (index !== undefined) this.moved.add(index);
    const first = record[this.def.keys[0] ?? ''];
    if (typeof first === 'string' && /^\d+$/.test(first)) this.takenNumbers.add(Number(first));
    return () => {
      if (previous) this.overlay.set(text, previous);
      else this.overlay.delete(text);
      if (index !== undefined && !wasMoved) this.moved.delete(index);
    };
  }

  /** The next number of the set's internal number range (after every generated key). */
  nextNumber(): number {
    for (;;) {
      const candidate = this.numberRange++;
      if (!this.takenNumbers.has(candidate)) return candidate;
    }
  }

  private baseIndex(key: SimRecord): number | undefined {
    const index = this.def.indexOfKey(key);
    return index !== undefined && index < this.baseCount ? index : undefined;
  }
}
