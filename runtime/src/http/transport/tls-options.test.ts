import { createTestPki, type TestPki } from './__fixtures__/pki';
import { resolveTlsOptions } from './tls-options';

describe('resolveTlsOptions', () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = createTestPki();
  });
  afterAll(() => pki.remove());

  it('verifies by default and builds no context when nothing is configured', () => {
    expect(resolveTlsOptions(undefined)).toEqual({
      target: { rejectUnauthorized: true },
      proxy: { rejectUnauthorized: true },
      secrets: [],
    });
  });

  it('builds one context for the target with the client identity and one for the proxy without it', () => {
    const tls = resolveTlsOptions({
      ca: [pki.caCert, pki.otherCaCert],
      cert: pki.clientCert,
      key: pki.clientKeyEncrypted,
      passphrase: pki.clientKeyPassphrase,
      servername: 'erp.internal',
    });
    expect(tls.target.secureContext).toBeDefined();
    expect(tls.proxy.secureContext).toBeDefined();
    expect(tls.proxy.secureContext).not.toBe(tls.target.secureContext);
    expect(tls.target).toMatchObject({ rejectUnauthorized: true, servername: 'erp.internal' });
    expect(tls.proxy.servername).toBeUndefined();
    expect(tls.secrets).toEqual([pki.clientKeyPassphrase]);
  });

  const invalid = (
    options: () => Parameters<typeof resolveTlsOptions>[0],
    field: string,
    message: RegExp,
  ): [string, () => Parameters<typeof resolveTlsOptions>[0], string, RegExp] => [
    `${field} ${String(message)}`,
    options,
    field,
    message,
  ];

  test.each([
    invalid(() => ({ ca: '/etc/ssl/company-ca.pem' }), 'tls.ca', /contains no PEM certificate.*not its path/),
    invalid(() => ({ ca: [pki.caCert, 'garbage'] }), 'tls.ca[1]', /tls\.ca\[1\] contains no PEM certificate/),
    invalid(
      () => ({ ca: '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----' }),
      'tls.ca',
      /not a readable X\.509 certificate/,
    ),
    invalid(() => ({ cert: pki.clientCert }), 'tls.key', /tls\.key is missing/),
    invalid(() => ({ cert: pki.clientCert, key: 'nope' }), 'tls.key', /not a readable PEM private key/),
    invalid(() => ({ cert: pki.clientCert, key: pki.strayKey }), 'tls.key', /not the private key of the certificate/),
    invalid(() => ({ cert: pki.clientCert, key: pki.clientKeyEncrypted }), 'tls.passphrase', /encrypted; set/),
    invalid(
      () => ({ cert: pki.clientCert, key: pki.clientKeyEncrypted, passphrase: 'wrong passphrase' }),
      'tls.passphrase',
      /does not decrypt/,
    ),
  ])('%s: CONFIG_INVALID naming the field', (_label, options, field, message) => {
    let thrown: unknown;
    try {
      resolveTlsOptions(options());
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'CONFIG_INVALID', details: { field } });
    const text = (thrown as Error).message;
    expect(text).toMatch(message);
    for (const pem of [pki.caCert, pki.clientCert, pki.clientKey, pki.clientKeyEncrypted, pki.strayKey]) {
      expect(text).not.toContain(pem.split('\n')[1]);
    }
  });
});
