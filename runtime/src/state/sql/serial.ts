/**
 * A FIFO mutex. A SQLite connection is one session: while one caller's transaction is open, another caller's
 * statement on the same connection would silently join it. Every use of the connection goes through here.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
