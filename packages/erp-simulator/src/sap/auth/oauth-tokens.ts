import { randomBytes } from 'node:crypto';

/** Issued bearer tokens with their expiry; expireAll() is the OAuth-expiry fault (every token → 401). */
export class OAuthTokens {
  private readonly tokens = new Map<string, { clientId: string; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(clientId: string, ttlSeconds: number): string {
    this.sweep();
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { clientId, expiresAt: this.now() + ttlSeconds * 1000 });
    return token;
  }

  validate(token: string): string | undefined {
    const entry = this.tokens.get(token);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.tokens.delete(token);
      return undefined;
    }
    return entry.clientId;
  }

  expireAll(): number {
    const count = this.tokens.size;
    this.tokens.clear();
    return count;
  }

  private sweep(): void {
    const now = this.now();
    for (const [token, entry] of this.tokens) if (entry.expiresAt <= now) this.tokens.delete(token);
  }
}
