import type { Lease, StateStore } from '../state';
import type { Clock } from '../time';

/**
 * The pusher's lease on its connection's outbox: one pusher per connection at a time, fenced. Two pushers
 * reading the same due entries would break per-key order (one sends revision 1 after the other already sent
 * 2); with the lease the second one waits, and every commit carries the lease, so a pusher that lost it
 * (paused past the TTL, say) cannot mark anything.
 */
export class PushLease {
  private lease: Lease | undefined;
  private takenAt = 0;

  constructor(
    private readonly store: StateStore,
    readonly stream: string,
    private readonly owner: string,
    private readonly ttlMs: number,
    private readonly clock: Clock,
  ) {}

  /**
   * The lease, taken or extended when a third of its TTL has passed; undefined while another live pusher
   * holds it. Store errors propagate (fail closed: no lease, no push).
   */
  async hold(): Promise<Lease | undefined> {
    if (this.lease && this.clock.now() - this.takenAt < this.ttlMs / 3) return this.lease;
    const now = this.clock.now();
    this.lease = await this.store.acquireLease(this.stream, this.owner, this.ttlMs);
    this.takenAt = now;
    return this.lease;
  }

  /** Forgets the lease after LEASE_LOST, so the next `hold` asks the store again. */
  drop(): void {
    this.lease = undefined;
  }

  async release(): Promise<void> {
    const lease = this.lease;
    this.lease = undefined;
    if (lease) await this.store.releaseLease(lease);
  }
}
