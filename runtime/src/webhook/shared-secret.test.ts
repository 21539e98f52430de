import { createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import { TaktError } from '../errors';
import { readBodyWithinLimit } from './body-limit';
import { SharedSecretVerifier } from './shared-secret';

const BODY = '{"event":"order.changed","id":"4711"}';

function code(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (TaktError.is(error)) return error.code;
    throw error;
  }
  return 'passed';
}

describe('shared-secret webhooks', () => {
  it('token mode: accepts either secret of a rotation, rejects others and a missing header', () => {
    const verifier = new SharedSecretVerifier({
      mode: 'token',
      header: 'X-Webhook-Secret',
      secrets: ['old-secret-1', 'new-secret-2'],
      idHeader: 'x-event-id',
    });
    expect(verifier.verify({ 'x-webhook-secret': 'new-secret-2', 'x-event-id': 'evt-1' }, BODY)).toEqual({
      id: 'evt-1',
      body: Buffer.from(BODY),
    });
    expect(verifier.verify({ 'x-webhook-secret': 'old-secret-1' }, BODY).id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(code(() => verifier.verify({ 'x-webhook-secret': 'new-secret-' }, BODY))).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect(code(() => verifier.verify({}, BODY))).toBe('WEBHOOK_SIGNATURE_INVALID');
  });

  it('hmac mode: verifies a prefixed hex digest of the raw body and rejects a changed body', () => {
    const verifier = new SharedSecretVerifier({
      mode: 'hmac-sha256',
      header: 'x-signature-256',
      prefix: 'sha256=',
      secrets: ['s3cret-hmac'],
    });
    const digest = createHmac('sha256', 's3cret-hmac').update(BODY).digest('hex');
    expect(verifier.verify({ 'x-signature-256': `sha256=${digest}` }, BODY).body.toString()).toBe(BODY);
    expect(code(() => verifier.verify({ 'x-signature-256': `sha256=${digest}` }, `${BODY} `))).toBe(
      'WEBHOOK_SIGNATURE_INVALID',
    );
    expect(code(() => verifier.verify({ 'x-signature-256': digest }, BODY))).toBe('WEBHOOK_SIGNATURE_INVALID');
  });

  it('hmac mode with base64 digests', () => {
    const verifier = new SharedSecretVerifier({
      mode: 'hmac-sha256',
      header: 'x-sig',
      encoding: 'base64',
      secrets: ['k'],
    });
    const digest = createHmac('sha256', 'k').update(BODY).digest('base64');
    expect(code(() => verifier.verify({ 'X-Sig': digest }, BODY))).toBe('passed');
  });

  it('refuses an oversized body before comparing anything', () => {
    const verifier = new SharedSecretVerifier({ mode: 'token', header: 'x-s', secrets: ['a'], maxBodyBytes: 8 });
    expect(code(() => verifier.verify({ 'x-s': 'a' }, BODY))).toBe('WEBHOOK_PAYLOAD_TOO_LARGE');
  });

  it('refuses a configuration without a header or secret', () => {
    expect(code(() => new SharedSecretVerifier({ mode: 'token', header: ' ', secrets: ['a'] }))).toBe('CONFIG_INVALID');
    expect(code(() => new SharedSecretVerifier({ mode: 'token', header: 'x', secrets: [''] }))).toBe('CONFIG_INVALID');
  });
});

describe('reading a webhook body within the limit', () => {
  it('refuses a declared Content-Length over the limit without reading a byte', async () => {
    let read = false;
    const chunks = (async function* () {
      read = true;
      yield Buffer.from('x');
    })();
    await expect(readBodyWithinLimit(chunks, 100, '2000000')).rejects.toMatchObject({
      code: 'WEBHOOK_PAYLOAD_TOO_LARGE',
    });
    expect(read).toBe(false);
  });

  it('stops reading as soon as an undeclared body passes the limit', async () => {
    let served = 0;
    const chunks = (async function* () {
      for (let i = 0; i < 100; i++) {
        served++;
        yield Buffer.alloc(64);
      }
    })();
    await expect(readBodyWithinLimit(chunks, 200)).rejects.toMatchObject({ code: 'WEBHOOK_PAYLOAD_TOO_LARGE' });
    expect(served).toBe(4);
  });

  it('returns the exact bytes of a stream within the limit', async () => {
    const body = await readBodyWithinLimit(Readable.from([Buffer.from('ab'), 'cd', Buffer.from('é')]), 100, '6');
    expect(body.toString('utf8')).toBe('abcdé');
  });
});
