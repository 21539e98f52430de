/**
 * One bit per expected key (125 KB for 1M), so "every record exactly once" is checked without a Set whose
 * size would grow with the input and show up in the RSS that W2 compares. A bit set twice or out of range is
 * counted, not thrown, so the final check names how many went wrong.
 */
export class KeyBitmap {
  private readonly bits: Uint8Array;
  count = 0;
  duplicates = 0;
  outOfRange = 0;

  constructor(readonly capacity: number) {
    this.bits = new Uint8Array(Math.ceil(capacity / 8));
  }

  add(bit: number): void {
    if (!Number.isInteger(bit) || bit < 0 || bit >= this.capacity) {
      this.outOfRange += 1;
      return;
    }
    const byte = bit >>> 3;
    const mask = 1 << (bit & 7);
    const current = this.bits[byte] ?? 0;
    if ((current & mask) !== 0) {
      this.duplicates += 1;
      return;
    }
    this.bits[byte] = current | mask;
    this.count += 1;
  }

  /** Every bit below `capacity` is set. */
  get complete(): boolean {
    return this.count === this.capacity;
  }
}
