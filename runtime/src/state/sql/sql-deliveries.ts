import type { Clock } from '../../time';
import { deliveryExists, requireDelivery, storableCommit, type DeliveryCommit } from '../delivery-rules';
import type { AckResult, Delivery, DeliveryInsert, DeliveryStatus } from '../types';
import { listLimit } from '../validate';
import { applyCommit } from './apply-commit';
import type { SqlDriver } from './driver';
import { toDelivery } from './rows';

/** Everything but the stored commit, which only an ACK reads. */
const COLUMNS = 'token, stream, records, status, created_at, expires_at, acked_at';

/**
 * Deliveries in SQL. An ACK marks the delivery acked with one guarded UPDATE as the first statement of its
 * transaction: on PostgreSQL that row stays locked until the commit, so a second ACK of the same token waits,
 * then finds it acked; a fence failure in the stored commit rolls the mark back with everything else.
 */
export class SqlDeliveries {
  constructor(
    private readonly db: SqlDriver,
    private readonly clock: Clock,
  ) {}

  async create(delivery: DeliveryInsert): Promise<void> {
    requireDelivery(delivery);
    const { changes } = await this.db.query(
      `INSERT INTO takt_deliveries (token, stream, commit_unit, records, status, created_at, expires_at)
       VALUES (?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (token) DO NOTHING`,
      [
        delivery.token,
        delivery.stream,
        JSON.stringify(storableCommit(delivery.commit)),
        delivery.records,
        this.clock.now(),
        delivery.expiresAt,
      ],
    );
    if (changes !== 1) throw deliveryExists(delivery.stream);
  }

  ack(token: string): Promise<AckResult> {
    return this.db.transaction(async (tx) => {
      const now = this.clock.now();
      const { rows } = await tx.query(
        `UPDATE takt_deliveries SET status = 'acked', acked_at = ? WHERE token = ? AND status = 'pending'
         RETURNING commit_unit`,
        [now, token],
      );
      const marked = rows[0];
      if (!marked) {
        const existing = await tx.query('SELECT status FROM takt_deliveries WHERE token = ?', [token]);
        return existing.rows[0] ? { status: 'already_acked' } : { status: 'unknown' };
      }
      const commit = JSON.parse(String(marked.commit_unit)) as DeliveryCommit;
      const { cursorVersion } = await applyCommit(tx, this.db.dialect, commit, now);
      // Applied, the commit is dead weight (a thousand id-map rows for a large page); the row stays, small,
      // so a repeated ACK still answers already_acked.
      await tx.query(`UPDATE takt_deliveries SET commit_unit = '{}' WHERE token = ?`, [token]);
      return { status: 'acked', cursorVersion };
    });
  }

  async get(token: string): Promise<Delivery | undefined> {
    const { rows } = await this.db.query(`SELECT ${COLUMNS} FROM takt_deliveries WHERE token = ?`, [token]);
    return rows[0] ? toDelivery(rows[0], this.clock.now()) : undefined;
  }

  async list(stream: string, options: { status?: DeliveryStatus; limit?: number }): Promise<Delivery[]> {
    const now = this.clock.now();
    const condition =
      options.status === undefined
        ? { sql: `status = 'pending'`, params: [] }
        : options.status === 'acked'
          ? { sql: `status = 'acked'`, params: [] }
          : { sql: `status = 'pending' AND expires_at ${options.status === 'expired' ? '<=' : '>'} ?`, params: [now] };
    const { rows } = await this.db.query(
      `SELECT ${COLUMNS} FROM takt_deliveries WHERE stream = ? AND ${condition.sql} ORDER BY id LIMIT ?`,
      [stream, ...condition.params, listLimit(options.limit)],
    );
    return rows.map((row) => toDelivery(row, now));
  }
}
