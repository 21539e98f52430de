import { REDACTED, forgetSecret, redactHeaders, redactText, redactValue, registerSecret } from './redact';

describe('redactText', () => {
  it.each([
    ['postgres://takt:pa55word@db:5432/takt', 'postgres://takt:[REDACTED]@db:5432/takt'],
    ['https://ghp_tokenvalue@host/repo', 'https://[REDACTED]@host/repo'],
    ['Authorization: Basic dXNlcjpwYXNz', 'Authorization: [REDACTED]'],
    ['{"authorization":"Bearer abc.def.ghi"}', '{"authorization":"[REDACTED]"}'],
    ['cookie: SAP_SESSIONID=abc; sap-usercontext=x', 'cookie: [REDACTED]'],
    ['sent Bearer eyJhbGciOi.payload.sig to server', 'sent Bearer [REDACTED] to server'],
    [
      'token?client_secret=s3cr3t&grant_type=client_credentials',
      'token?client_secret=[REDACTED]&grant_type=client_credentials',
    ],
    ['{"password": "hunter2", "user": "bob"}', '{"password": "[REDACTED]", "user": "bob"}'],
    ['secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw end', 'secret whsec_[REDACTED] end'],
  ])('masks %s', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    const text = 'Production order 000001234567 at work center ASSY-01: quantity 12.500 (token bucket empty)';
    expect(redactText(text)).toBe(text);
  });

  it('masks registered secrets in any syntax, raw, URL-encoded and base64, until forgotten', () => {
    const secret = `canary-${Math.random().toString(36).slice(2)}/+&`;
    registerSecret(secret);
    try {
      const echoed = `server echoed ${secret} and ${encodeURIComponent(secret)} and ${Buffer.from(secret).toString('base64')}`;
      const out = redactText(echoed);
      expect(out).not.toContain(secret);
      expect(out).not.toContain(encodeURIComponent(secret));
      expect(out).not.toContain(Buffer.from(secret).toString('base64'));
      expect(out.match(/\[REDACTED\]/g)).toHaveLength(3);
    } finally {
      forgetSecret(secret);
    }
    expect(redactText(`value ${secret}`)).toContain(secret);
  });

  it('counts registrations so a secret shared by two connections stays masked until both close', () => {
    registerSecret('shared-secret-value');
    registerSecret('shared-secret-value');
    forgetSecret('shared-secret-value');
    expect(redactText('x shared-secret-value')).toBe(`x ${REDACTED}`);
    forgetSecret('shared-secret-value');
    expect(redactText('x shared-secret-value')).toBe('x shared-secret-value');
  });

  it('ignores secrets too short to mask safely', () => {
    registerSecret('abc');
    expect(redactText('abc def')).toBe('abc def');
  });
});

describe('redactValue and redactHeaders', () => {
  it('masks sensitive keys at any depth, redacts strings, reduces errors and cuts cycles', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const input = {
      url: 'https://user:pw-in-url@sap.example/odata',
      config: { headers: { Authorization: 'Basic abc', 'x-csrf-token': 'tok' }, password: 'p', clientSecret: 'cs' },
      error: Object.assign(new Error('failed for https://a:b-secret@h/'), {
        code: 'ECONNREFUSED',
        config: { password: 'x' },
      }),
      cyclic,
      big: 10n,
      when: new Date(0),
    };
    expect(redactValue(input)).toEqual({
      url: 'https://user:[REDACTED]@sap.example/odata',
      config: {
        headers: { Authorization: REDACTED, 'x-csrf-token': REDACTED },
        password: REDACTED,
        clientSecret: REDACTED,
      },
      error: { name: 'Error', code: 'ECONNREFUSED', message: 'failed for https://a:[REDACTED]@h/' },
      cyclic: { name: 'loop', self: '[Circular]' },
      big: '10',
      when: '1970-01-01T00:00:00.000Z',
    });
  });

  it('masks sensitive headers and keeps the rest', () => {
    expect(
      redactHeaders({ Cookie: 'a=b', 'set-cookie': ['x=y'], accept: 'application/json', 'X-API-Key': 'k' }),
    ).toEqual({
      Cookie: REDACTED,
      'set-cookie': REDACTED,
      accept: 'application/json',
      'X-API-Key': REDACTED,
    });
  });
});
