import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Throwaway certificates made with the openssl CLI for one test file; nothing is committed. */
export interface TestPki {
  /** A CA (basicConstraints CA:TRUE) that signed the server and client certificates. */
  readonly caCert: string;
  /** For 127.0.0.1 and localhost (subjectAltName IP:127.0.0.1, DNS:localhost). */
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** `clientKey` encrypted with `clientKeyPassphrase`. */
  readonly clientKeyEncrypted: string;
  readonly clientKeyPassphrase: string;
  /** A second, unrelated CA: trusting it must not make the server trusted. */
  readonly otherCaCert: string;
  /** A key that belongs to no certificate above. */
  readonly strayKey: string;
  remove(): void;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'takt-pki-'));
  const file = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  const makeCa = (name: string, cn: string): void =>
    openssl(
      'req',
      '-x509',
      ...EC_KEY,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-subj',
      `/CN=${cn}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
  const makeLeaf = (name: string, cn: string, extensions: string): void => {
    writeFileSync(file(`${name}.ext`), extensions);
    openssl('req', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    );
  };

  try {
    makeCa('ca', 'Takt Test CA');
    makeCa('other-ca', 'Unrelated Test CA');
    makeLeaf(
      'server',
      'localhost',
      'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
    );
    makeLeaf('client', 'takt-client', 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n');
    const clientKeyPassphrase = randomBytes(12).toString('hex');
    openssl(
      'pkey',
      '-in',
      'client.key',
      '-aes256',
      '-passout',
      `pass:${clientKeyPassphrase}`,
      '-out',
      'client-enc.key',
    );
    const read = (name: string): string => readFileSync(file(name), 'utf8');
    return {
      caCert: read('ca.pem'),
      serverCert: read('server.pem'),
      serverKey: read('server.key'),
      clientCert: read('client.pem'),
      clientKey: read('client.key'),
      clientKeyEncrypted: read('client-enc.key'),
      clientKeyPassphrase,
      otherCaCert: read('other-ca.pem'),
      strayKey: read('other-ca.key'),
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
