import { TaktError, createLogger } from '../../index';
import { PostgresStateStore } from './postgres-state-store';

describe('PostgreSQL store errors', () => {
  it('never show the password of a refused connection string', async () => {
    const canary = `canary${Math.random().toString(36).slice(2)}`;
    const lines: string[] = [];
    const log = createLogger({ sink: (r) => lines.push(JSON.stringify(r)) });
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    const error = await PostgresStateStore.open({
      connectionString: `postgres://takt:${canary}@127.0.0.1:1/takt`,
      connectTimeoutMs: 2_000,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(TaktError.is(error)).toBe(true);
    const taktError = error as TaktError;
    expect(taktError.code).toBe('STORE_UNAVAILABLE');
    expect(taktError.message).toContain('127.0.0.1:1');
    // The store forgets the password when open fails, so this also proves the URL shape rule on its own.
    log.error('store failed', { error: taktError, cause: taktError.cause });
    const views = [
      taktError.message,
      taktError.stack ?? '',
      JSON.stringify(taktError),
      JSON.stringify(taktError.cause),
      String(taktError),
      ...lines,
    ];
    for (const view of views) expect(view).not.toContain(canary);
  });
});
