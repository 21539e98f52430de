import { TaktError } from '../errors';

/**
 * Runs one state-store call of the intake and fails closed (reliability I8): whatever goes wrong becomes a
 * thrown error — a TaktError from the store keeps its code (STORE_UNAVAILABLE, STORE_BUSY, CLAIM_NOT_OWNED),
 * anything else becomes STORE_UNAVAILABLE — and never a result. A lookup that failed must not read as "not a
 * duplicate", and an ACK that failed must not read as done: the host answers 503 and the sender redelivers.
 */
export async function failClosed<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (TaktError.is(error)) throw error;
    throw new TaktError('STORE_UNAVAILABLE', `Event intake could not ${what}: the state store did not answer.`, {
      cause: error,
    });
  }
}
