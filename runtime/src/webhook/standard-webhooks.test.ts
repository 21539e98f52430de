import * as crypto from 'node:crypto';

// Spies around the real functions: the module under test gets these, so a test can see what it called.
jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof crypto>('node:crypto');
  return { ...actual, createHmac: jest.fn(actual.createHmac), timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});
import { TaktError } from '../errors';
import { redactText } from '../errors/redact';
import { FakeClock } from '../time';
import { StandardWebhookVerifier, signStandardWebhook } from './standard-webhooks';

// The known-answer vector of the Standard Webhooks reference tests (reliability.md §1.7).
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TS = 1614265330;
const BODY = '{"test": 2432232314}';
const SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
const OTHER_SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

function verifierAt(seconds: number, secrets: string[] = [SECRET], extra: { maxBodyBytes?: number } = {}) {
  return new StandardWebhookVerifier({ secrets, clock: new FakeClock(seconds * 1000), ...extra });
}

function headers(signature = SIGNATURE, id = ID, ts = String(TS)): Record<string, string> {
  return { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': signature };
}

function failure(run: () => unknown): TaktError {
  try {
    run();
  } catch (error) {
    if (TaktError.is(error)) return error;
    throw error;
  }
  throw new Error('expected verification to fail');
}

describe('T17 Standard Webhooks signature checks', () => {
  it('accepts the known-answer vector and hands back id, timestamp and the untouched bytes', () => {
    const verified = verifierAt(TS).verify(headers(), BODY);
    expect(verified).toEqual({ id: ID, timestamp: TS, body: Buffer.from(BODY) });
  });

  it('signs like the reference sender', () => {
    expect(signStandardWebhook(SECRET, ID, TS, BODY)).toBe(SIGNATURE);
  });

  it('accepts the secret with and without the whsec_ prefix', () => {
    expect(verifierAt(TS, [SECRET.slice('whsec_'.length)]).verify(headers(), BODY).id).toBe(ID);
  });

  it('passes a rotation header where a decoy precedes the valid signature', () => {
    const decoy = signStandardWebhook(OTHER_SECRET, ID, TS, BODY);
    expect(verifierAt(TS).verify(headers(`${decoy} v1a,abc ${SIGNATURE}`), BODY).id).toBe(ID);
  });

  it('passes with the old and the new secret configured during a rotation', () => {
    const signedWithNew = signStandardWebhook(OTHER_SECRET, ID, TS, BODY);
    const verifier = verifierAt(TS, [SECRET, OTHER_SECRET]);
    expect(verifier.verify(headers(signedWithNew), BODY).id).toBe(ID);
    expect(verifier.verify(headers(), BODY).id).toBe(ID);
  });

  it.each([
    ['wrong secret', () => verifierAt(TS, [OTHER_SECRET]).verify(headers(), BODY), 'WEBHOOK_SIGNATURE_INVALID', 401],
    [
      'body changed by one byte',
      () => verifierAt(TS).verify(headers(), BODY.replace('4}', '5}')),
      'WEBHOOK_SIGNATURE_INVALID',
      401,
    ],
    [
      'body re-serialised',
      () => verifierAt(TS).verify(headers(), JSON.stringify(JSON.parse(BODY))),
      'WEBHOOK_SIGNATURE_INVALID',
      401,
    ],
    ['truncated v1, signature', () => verifierAt(TS).verify(headers('v1,'), BODY), 'WEBHOOK_SIGNATURE_INVALID', 401],
    [
      'signature cut short',
      () => verifierAt(TS).verify(headers(SIGNATURE.slice(0, 20)), BODY),
      'WEBHOOK_SIGNATURE_INVALID',
      401,
    ],
    [
      'only a v1a entry',
      () => verifierAt(TS).verify(headers('v1a,' + SIGNATURE.slice(3)), BODY),
      'WEBHOOK_SIGNATURE_INVALID',
      401,
    ],
    [
      'signature for another id',
      () => verifierAt(TS).verify(headers(SIGNATURE, 'msg_other'), BODY),
      'WEBHOOK_SIGNATURE_INVALID',
      401,
    ],
    [
      'missing webhook-id',
      () => verifierAt(TS).verify({ ...headers(), 'webhook-id': '' }, BODY),
      'WEBHOOK_HEADERS_INVALID',
      400,
    ],
    [
      'missing webhook-timestamp',
      () => verifierAt(TS).verify({ 'webhook-id': ID, 'webhook-signature': SIGNATURE }, BODY),
      'WEBHOOK_HEADERS_INVALID',
      400,
    ],
    [
      'missing webhook-signature',
      () => verifierAt(TS).verify({ 'webhook-id': ID, 'webhook-timestamp': String(TS) }, BODY),
      'WEBHOOK_HEADERS_INVALID',
      400,
    ],
    [
      'non-numeric timestamp',
      () => verifierAt(TS).verify(headers(SIGNATURE, ID, '16142653x0'), BODY),
      'WEBHOOK_HEADERS_INVALID',
      400,
    ],
  ])('rejects %s', (_name, run, code, status) => {
    const error = failure(run);
    expect(error.code).toBe(code);
    expect(error.details?.['status']).toBe(status);
  });

  it('refuses an oversized body with 413 before computing any HMAC', () => {
    const hmac = jest.mocked(crypto.createHmac);
    hmac.mockClear();
    const error = failure(() => verifierAt(TS, [SECRET], { maxBodyBytes: 10 }).verify(headers(), BODY));
    expect(error.code).toBe('WEBHOOK_PAYLOAD_TOO_LARGE');
    expect(error.details?.['status']).toBe(413);
    expect(hmac).not.toHaveBeenCalled();
  });

  it('compares signatures with timingSafeEqual, every candidate, even after a match', () => {
    const compare = jest.mocked(crypto.timingSafeEqual);
    compare.mockClear();
    const decoy = signStandardWebhook(OTHER_SECRET, ID, TS, BODY);
    verifierAt(TS).verify(headers(`${SIGNATURE} ${decoy}`), BODY);
    expect(compare).toHaveBeenCalledTimes(2);
  });

  it('keeps the body and the secret out of every error', () => {
    const body = '{"password":"canary-body-7781"}';
    const error = failure(() => verifierAt(TS).verify(headers(), body));
    const everything = `${error.message} ${error.stack ?? ''} ${JSON.stringify(error)}`;
    expect(everything).not.toContain('canary-body-7781');
    expect(everything).not.toContain(SECRET.slice('whsec_'.length));
    expect(redactText(`key ${SECRET}`)).not.toContain('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
  });

  it('refuses a configuration without a usable secret, naming the field', () => {
    expect(() => new StandardWebhookVerifier({ secrets: [] })).toThrow(/at least one whsec_ secret/);
    expect(failure(() => new StandardWebhookVerifier({ secrets: ['whsec_c2hvcnQ='] })).message).toMatch(
      /secrets\[0\] decodes to 5 bytes/,
    );
    expect(failure(() => new StandardWebhookVerifier({ secrets: ['whsec_not base64!'] })).code).toBe('CONFIG_INVALID');
  });
});

describe('T18 timestamp window and clock skew', () => {
  it.each([
    ['receiver 4 min ahead', 240, true],
    ['receiver 4 min behind', -240, true],
    ['receiver exactly 300 s ahead', 300, true],
    ['receiver 6 min ahead', 360, false],
    ['receiver 6 min behind', -360, false],
    ['receiver 301 s behind', -301, false],
  ])('%s', (_name, offset, accepted) => {
    const run = () => verifierAt(TS + offset).verify(headers(), BODY);
    if (accepted) {
      expect(run().id).toBe(ID);
    } else {
      const error = failure(run);
      expect(error.code).toBe('WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE');
      expect(error.details?.['status']).toBe(401);
      expect(error.message).toMatch(/outside ±300 s/);
    }
  });

  it('takes a configured tolerance', () => {
    const verifier = new StandardWebhookVerifier({
      secrets: [SECRET],
      toleranceSeconds: 30,
      clock: new FakeClock((TS + 31) * 1000),
    });
    expect(failure(() => verifier.verify(headers(), BODY)).code).toBe('WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE');
  });
});
