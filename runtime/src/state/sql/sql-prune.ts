import { pruneCutoffs } from '../prune-rules';
import { TERMINAL_JOB_STATUSES, type PruneOptions, type PruneResult } from '../types';
import type { SqlDriver } from './driver';

const TERMINAL = TERMINAL_JOB_STATUSES.map((status) => `'${status}'`).join(', ');
const FINISHED_JOBS = `SELECT id FROM takt_jobs WHERE status IN (${TERMINAL}) AND finished_at < ?`;

/**
 * Prune in SQL: one plain DELETE per kind, whose WHERE clause is the whole rule, so a row another worker changes
 * meanwhile (a claim taken again, an entry coalesced back to pending) is judged by its state at the delete, not
 * by an earlier read. Not batched: PostgreSQL has no DELETE … LIMIT, and a prune that runs daily deletes a day's
 * worth. The jobs and their record errors go in one transaction, errors first, so no error outlives its job
 * (the foreign key would cascade; deleting them explicitly also counts them).
 */
export async function pruneSql(db: SqlDriver, options: PruneOptions, now: number): Promise<PruneResult> {
  const cut = pruneCutoffs(options, now);
  // Every status: a done or released claim past its retention, or a claimed one whose worker died. The cutoff is
  // never after now, so nothing that still answers duplicate or in_progress qualifies.
  const claims = await db.query('DELETE FROM takt_claims WHERE expires_at < ?', [cut.claims]);
  const outbox = await db.query(`DELETE FROM takt_outbox WHERE status = 'sent' AND updated_at < ?`, [cut.outboxSent]);
  const deliveries = await db.query(
    `DELETE FROM takt_deliveries
     WHERE (status = 'acked' AND acked_at < ?) OR (status = 'pending' AND expires_at < ?)`,
    [cut.deliveriesAcked, cut.deliveriesExpired],
  );
  const deadLetters = await db.query(`DELETE FROM takt_dead_letters WHERE status = 'resolved' AND resolved_at < ?`, [
    cut.deadLettersResolved,
  ]);
  const jobs = await db.transaction(async (tx) => {
    const errors = await tx.query(`DELETE FROM takt_job_errors WHERE job_id IN (${FINISHED_JOBS})`, [cut.jobsFinished]);
    const deleted = await tx.query(`DELETE FROM takt_jobs WHERE status IN (${TERMINAL}) AND finished_at < ?`, [
      cut.jobsFinished,
    ]);
    return { jobs: deleted.changes, jobErrors: errors.changes };
  });
  return {
    claims: claims.changes,
    outbox: outbox.changes,
    deliveries: deliveries.changes,
    deadLetters: deadLetters.changes,
    ...jobs,
  };
}
