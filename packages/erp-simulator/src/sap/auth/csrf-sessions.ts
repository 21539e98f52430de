import { randomBytes } from 'node:crypto';

interface Session {
  readonly token: string;
  readonly user: string;
  readonly client: string;
}

/** How many security sessions the simulator keeps before forgetting the oldest. */
const MAX_SESSIONS = 10_000;

/**
 * Security sessions with their CSRF tokens (reference A.4). A fetch without a live session cookie opens a
 * session; a fetch inside one returns its token again. A modifying request passes only with the session cookie
 * AND that session's token, for the same user and client. expireAll() is the CSRF-expiry fault.
 */
export class CsrfSessions {
  private readonly sessions = new Map<string, Session>();

  fetch(sessionId: string | undefined, user: string, client: string): { sessionId: string; token: string } {
    const existing = sessionId ? this.sessions.get(sessionId) : undefined;
    if (sessionId && existing && existing.user === user && existing.client === client) {
      return { sessionId, token: existing.token };
    }
    const id = randomBytes(24).toString('base64url');
    const session: Session = { token: randomBytes(18).toString('base64'), user, client };
    this.sessions.set(id, session);
    if (this.sessions.size > MAX_SESSIONS) {
      const oldest = this.sessions.keys().next();
      if (!oldest.done) this.sessions.delete(oldest.value);
    }
    return { sessionId: id, token: session.token };
  }

  validate(sessionId: string | undefined, token: string | undefined, user: string, client: string): boolean {
    const session = sessionId ? this.sessions.get(sessionId) : undefined;
    return !!session && !!token && session.token === token && session.user === user && session.client === client;
  }

  expireAll(): number {
    const count = this.sessions.size;
    this.sessions.clear();
    return count;
  }
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return cookies;
}
