import { ERROR_CODES } from './codes';
import { forgetSecret, registerSecret } from './redact';
import { TaktError, toTaktError } from './takt-error';

describe('TaktError', () => {
  it('takes kind and retryable from the one code table, with a per-occurrence override', () => {
    const limited = new TaktError('HTTP_RATE_LIMITED', 'slow down', { retryAt: new Date(5_000) });
    expect(limited).toMatchObject({ code: 'HTTP_RATE_LIMITED', kind: 'transient', retryable: true });
    expect(limited.retryAt?.getTime()).toBe(5_000);
    expect(new TaktError('HTTP_SERVER_ERROR', 'x', { retryable: false }).retryable).toBe(false);
    expect(new TaktError('HTTP_UNPROCESSABLE', 'x')).toMatchObject({ kind: 'data', retryable: false });
    expect(limited).toBeInstanceOf(Error);
  });

  it('every code has a kind from the closed set and a title', () => {
    const kinds = new Set(['config', 'auth', 'transient', 'data', 'conflict', 'internal']);
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      expect([code, kinds.has(spec.kind)]).toEqual([code, true]);
      expect(spec.title.length).toBeGreaterThan(3);
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
    }
  });

  it('is recognised across copies of the runtime through its global brand', () => {
    const error = new TaktError('INTERNAL', 'x');
    const lookalike = Object.assign(new Error('x'), { code: 'INTERNAL' });
    expect(TaktError.is(error)).toBe(true);
    expect(TaktError.is(lookalike)).toBe(false);
    const brandedElsewhere = Object.defineProperty(new Error('y'), Symbol.for('takt.error'), { value: true });
    expect(TaktError.is(brandedElsewhere)).toBe(true);
  });

  it('keeps a canary secret out of message, stack, cause, details and JSON', () => {
    const canary = `canary-${Math.random().toString(36).slice(2)}`;
    registerSecret(canary);
    try {
      const raw = Object.assign(new Error(`connect failed for postgres://takt:${canary}@db/x`), {
        code: 'ECONNREFUSED',
        config: { headers: { Authorization: `Bearer ${canary}` } },
      });
      const error = new TaktError('STORE_UNAVAILABLE', `store at postgres://takt:${canary}@db/x is down`, {
        cause: raw,
        details: { url: `https://u:${canary}@h/`, headers: { authorization: canary }, note: `echo ${canary}` },
      });
      const views = [
        error.message,
        error.stack ?? '',
        JSON.stringify(error),
        JSON.stringify(error.cause),
        String(error.cause?.message),
        JSON.stringify(error.details),
      ];
      for (const view of views) expect(view).not.toContain(canary);
      expect(error.cause).toEqual({
        name: 'Error',
        code: 'ECONNREFUSED',
        message: 'connect failed for postgres://takt:[REDACTED]@db/x',
      });
      expect(JSON.parse(JSON.stringify(error))).toMatchObject({
        code: 'STORE_UNAVAILABLE',
        kind: 'transient',
        retryable: true,
      });
    } finally {
      forgetSecret(canary);
    }
  });

  it('converts anything thrown, passing TaktErrors through', () => {
    const original = new TaktError('HTTP_CONFLICT', 'c');
    expect(toTaktError(original)).toBe(original);
    expect(toTaktError(new TypeError('bad'))).toMatchObject({
      code: 'INTERNAL',
      message: 'bad',
      cause: { name: 'TypeError' },
    });
    expect(toTaktError('plain', 'CONFIG_INVALID')).toMatchObject({ code: 'CONFIG_INVALID', message: 'plain' });
  });
});
