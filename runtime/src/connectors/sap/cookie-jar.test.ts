import { redactText } from '../../errors';
import { CookieJar } from './cookie-jar';

describe('CookieJar (reference 0, A.4)', () => {
  const origin = 'https://s4.example.com:44300';

  it('keeps every cookie by name, sends name=value only, per origin', () => {
    const jar = new CookieJar();
    jar.store(origin, [
      'SAP_SESSIONID_S4H_100=session-value-123456; path=/; secure; HttpOnly',
      'sap-usercontext=sap-client=100; path=/',
    ]);
    jar.store(origin, 'sap-XSRF_S4H_100=xsrf-cookie-value-9876; path=/sap/opu/odata/');
    expect(jar.header(origin)).toBe(
      'SAP_SESSIONID_S4H_100=session-value-123456; sap-usercontext=sap-client=100; sap-XSRF_S4H_100=xsrf-cookie-value-9876',
    );
    expect(jar.header('https://other.example.com')).toBeUndefined();
    jar.clear();
  });

  it('replaces a cookie of the same name and drops expired ones', () => {
    const jar = new CookieJar();
    jar.store(origin, ['a=1', 'b=2']);
    jar.store(origin, ['a=3', 'b=; Max-Age=0']);
    expect(jar.header(origin)).toBe('a=3');
    jar.store(origin, 'a=4; Expires=Thu, 01 Jan 1970 00:00:00 GMT');
    expect(jar.header(origin)).toBeUndefined();
  });

  it('masks session cookie values while it holds them, and no longer after clear()', () => {
    const jar = new CookieJar();
    jar.store(origin, 'SAP_SESSIONID_S4H_100=canary-session-4711');
    expect(redactText('echo canary-session-4711')).toBe('echo [REDACTED]');
    jar.clear();
    expect(jar.size).toBe(0);
    expect(redactText('echo canary-session-4711')).toBe('echo canary-session-4711');
  });
});
