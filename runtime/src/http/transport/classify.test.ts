import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { TaktError, type ErrorCode } from '../../errors';
import { classifyFailure } from './classify';
import type { RequestContext } from './failure-facts';

interface NetworkCase {
  readonly error: { readonly code?: string; readonly name?: string; readonly message: string };
  readonly code: ErrorCode;
  readonly reached: boolean;
}

const cases = JSON.parse(
  readFileSync(join(__dirname, '__fixtures__', 'network-cases.json'), 'utf8'),
) as readonly NetworkCase[];

const context: RequestContext = { method: 'POST', url: new URL('https://erp.example:8443/api/orders?top=5') };

function thrown({ code, name, message }: NetworkCase['error']): Error {
  const error = new Error(message);
  if (name) error.name = name;
  if (code) Object.assign(error, { code });
  return error;
}

describe('classifyFailure: the network table', () => {
  test.each(cases.map((c) => [c.error.code ?? c.error.name ?? '?', c] as const))('%s', (_label, c) => {
    const error = classifyFailure(thrown(c.error), context);
    expect(error.code).toBe(c.code);
    expect(error.details).toMatchObject({
      requestMayHaveReachedServer: c.reached,
      method: 'POST',
      url: 'https://erp.example:8443/api/orders?top=5',
    });
    expect(error.cause).toMatchObject({ message: c.error.message });
  });

  it('tells what to fix for an untrusted certificate: the CA setting, and that verification is not the fix', () => {
    const error = classifyFailure(thrown({ code: 'SELF_SIGNED_CERT_IN_CHAIN', message: 'x' }), context);
    expect(error.message).toBe(
      "The server's certificate for erp.example:8443 is not trusted (SELF_SIGNED_CERT_IN_CHAIN). If it is signed " +
        "by your company's internal CA, add that CA certificate (PEM) in the connection's TLS settings (tls.ca); " +
        'turning off certificate verification (tls.rejectUnauthorized = false) is for tests only.',
    );
  });

  it('names the proxy, not the target, when the connection to the proxy fails', () => {
    const error = classifyFailure(thrown({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.1.1.1:3128' }), {
      ...context,
      proxy: 'http://proxy.corp:3128',
    });
    expect(error.message).toMatch(/^The proxy proxy\.corp:3128 refused the connection/);
    expect(error.message).toContain('proxy setting');
    expect(error.details).toMatchObject({ proxy: 'http://proxy.corp:3128', networkCode: 'ECONNREFUSED' });
  });

  it('looks through wrappers: fetch-style causes and happy-eyeballs AggregateErrors', () => {
    const wrapped = new TypeError('fetch failed', {
      cause: thrown({ code: 'ECONNRESET', message: 'read ECONNRESET' }),
    });
    expect(classifyFailure(wrapped, context).code).toBe('CONNECTION_RESET');
    const aggregate = new AggregateError([thrown({ code: 'ENETUNREACH', message: 'connect ENETUNREACH ::1' })], '');
    expect(classifyFailure(aggregate, context).code).toBe('NETWORK_UNREACHABLE');
  });

  it('reports ABORTED with the reason once the caller signal fired, whatever undici threw', () => {
    const controller = new AbortController();
    controller.abort(new Error('node closed'));
    const error = classifyFailure(thrown({ code: 'UND_ERR_SOCKET', message: 'other side closed' }), {
      ...context,
      signal: controller.signal,
    });
    expect(error).toMatchObject({ code: 'ABORTED', retryable: false });
    expect(error.message).toBe('POST https://erp.example:8443/api/orders?top=5 was cancelled (node closed).');
  });

  it.each([
    ['Proxy response (407) !== 200 when HTTP Tunneling', 'UND_ERR_ABORTED', 'PROXY_AUTH_FAILED'],
    ['Proxy Authentication Required (407)', 'UND_ERR_INVALID_ARG', 'PROXY_AUTH_FAILED'],
    ['Proxy response (502) !== 200 when HTTP Tunneling', 'UND_ERR_ABORTED', 'PROXY_FAILED'],
  ])('reads undici proxy refusal "%s" as %s → %s', (message, undiciCode, code) => {
    const error = classifyFailure(thrown({ code: undiciCode, message }), { ...context, proxy: 'http://proxy:3128' });
    expect(error.code).toBe(code);
    expect(error.details.requestMayHaveReachedServer).toBe(false);
  });

  it('passes TaktErrors through unchanged', () => {
    const original = new TaktError('RESPONSE_TOO_LARGE', 'too big');
    expect(classifyFailure(original, context)).toBe(original);
  });
});
