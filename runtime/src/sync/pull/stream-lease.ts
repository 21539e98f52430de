import { TaktError } from '../../errors';
import type { Logger } from '../../log';
import type { Lease, StateStore } from '../../state';
import type { Clock } from '../../time';

/**
 * The one-writer lease of a pull stream, held for the length of one pull run. The store fences it: each
 * change of hands raises `fence`, and a commit carrying a lease that is no longer current fails with
 * LEASE_LOST, so a worker that stalled past the TTL (a zombie) cannot move the stream.
 *
 * The run renews it between pages once half the TTL has passed, renews it once more just before it records a
 * delivery (so a lost lease stops the hand-out), and checks it again just after (a stall between the two
 * leaves a delivery no host ever receives, which expires unacknowledged).
 */
export class StreamLease {
  private lease: Lease;

  private constructor(
    private readonly store: StateStore,
    lease: Lease,
    private readonly ttlMs: number,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.lease = lease;
  }

  /** Takes the stream's lease, or answers the current holder when another owner has it. */
  static async acquire(
    store: StateStore,
    stream: string,
    owner: string,
    ttlMs: number,
    clock: Clock,
    log: Logger,
  ): Promise<{ readonly lease: StreamLease } | { readonly heldBy: Lease | undefined }> {
    const lease = await store.acquireLease(stream, owner, ttlMs);
    if (!lease) return { heldBy: await store.getLease(stream) };
    return { lease: new StreamLease(store, lease, ttlMs, clock, log) };
  }

  get current(): Lease {
    return this.lease;
  }

  /** Renews when half the TTL has passed; throws LEASE_LOST when the lease went to another worker. */
  async keepAlive(): Promise<void> {
    if (this.clock.now() >= this.lease.expiresAt - this.ttlMs / 2) await this.renew();
  }

  async renew(): Promise<void> {
    this.lease = await this.store.renewLease(this.lease, this.ttlMs);
  }

  /** Throws LEASE_LOST unless the store still shows this lease (same owner and fence) unexpired. */
  async verify(): Promise<void> {
    const current = await this.store.getLease(this.lease.stream);
    const held =
      current !== undefined &&
      current.owner === this.lease.owner &&
      current.fence === this.lease.fence &&
      current.expiresAt > this.clock.now();
    if (!held) {
      throw new TaktError(
        'LEASE_LOST',
        `Lease lost on stream "${this.lease.stream}" (owner "${this.lease.owner}", fence ${this.lease.fence}) ` +
          'while recording a delivery: its records are not handed out; the current holder continues the stream.',
        { details: { stream: this.lease.stream, owner: this.lease.owner, fence: this.lease.fence } },
      );
    }
  }

  /** Gives the lease up so the next poll need not wait for expiry; a failure here only delays that poll. */
  async release(): Promise<void> {
    try {
      await this.store.releaseLease(this.lease);
    } catch (error) {
      this.log.warn('could not release the stream lease; it expires on its own', {
        stream: this.lease.stream,
        error,
      });
    }
  }
}
