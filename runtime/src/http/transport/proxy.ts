import { TaktError } from '../../errors';
import { parseNoProxy, type NoProxyList } from './no-proxy';
import { showRawUrl, userinfoOf } from './request-url';
import { basicAuthorization } from './secret-set';

/**
 * How a connection reaches the network: `'env'` reads HTTPS_PROXY / HTTP_PROXY / NO_PROXY (the default),
 * `'none'` always goes direct, an object names one proxy for both schemes.
 */
export type ProxyConfig = 'env' | 'none' | { readonly url: string; readonly noProxy?: string | readonly string[] };

export interface ProxyEndpoint {
  /** The proxy's origin without credentials (`http://proxy.corp:3128`): safe to show. */
  readonly uri: string;
  /** `Basic …` for the Proxy-Authorization header, when the proxy URL carried a user name. */
  readonly token?: string;
  /** The password and the encoded token, to register for masking while the connection lives. */
  readonly secrets: readonly string[];
}

export interface ProxyPlan {
  readonly http?: ProxyEndpoint;
  readonly https?: ProxyEndpoint;
  readonly noProxy: NoProxyList;
}

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Resolves proxy settings once, when a connection is created; a later change of the environment applies to
 * connections created after it.
 *
 * From the environment, the lowercase name wins over the uppercase one, and HTTPS_PROXY falls back to
 * HTTP_PROXY, as in undici's EnvHttpProxyAgent and most Node tools: a company that sets only HTTP_PROXY means
 * its proxy for everything (https goes through it with CONNECT).
 * https://github.com/nodejs/undici/blob/v7.16.0/docs/docs/api/EnvHttpProxyAgent.md
 */
export function resolveProxy(config: ProxyConfig, env: Environment = process.env): ProxyPlan {
  if (config === 'none') return { noProxy: parseNoProxy(undefined) };
  if (config === 'env') {
    const httpRaw = fromEnv(env, 'http_proxy');
    const httpsRaw = fromEnv(env, 'https_proxy');
    const http = httpRaw === undefined ? undefined : parseProxyUrl(httpRaw.value, httpRaw.name);
    const https = httpsRaw === undefined ? http : parseProxyUrl(httpsRaw.value, httpsRaw.name);
    return {
      ...(http ? { http } : {}),
      ...(https ? { https } : {}),
      noProxy: parseNoProxy(fromEnv(env, 'no_proxy')?.value),
    };
  }
  const endpoint = parseProxyUrl(config.url, 'proxy.url');
  return { http: endpoint, https: endpoint, noProxy: parseNoProxy(config.noProxy) };
}

/** The proxy for a request URL, or undefined to go direct. */
export function proxyFor(plan: ProxyPlan, url: URL): ProxyEndpoint | undefined {
  const endpoint = url.protocol === 'https:' ? plan.https : plan.http;
  if (!endpoint || plan.noProxy.bypasses(url)) return undefined;
  return endpoint;
}

function fromEnv(env: Environment, lower: string): { name: string; value: string } | undefined {
  for (const name of [lower, lower.toUpperCase()]) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

/**
 * Parses a proxy URL. A value without a scheme (`proxy.corp:3128`, common in HTTP_PROXY) means http, as curl
 * reads it. Credentials leave the URL and become a token, so that no proxy password travels inside a URL that
 * undici might put in an error.
 */
export function parseProxyUrl(raw: string, field: string): ProxyEndpoint {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch (cause) {
    throw new TaktError('CONFIG_INVALID', `The proxy URL in ${field} ("${showRawUrl(withScheme)}") is not valid.`, {
      cause,
      details: { field },
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TaktError(
      'CONFIG_INVALID',
      `The proxy URL in ${field} uses "${url.protocol}"; only http:// and https:// proxies are supported.`,
      { details: { field } },
    );
  }
  const origin = `${url.protocol}//${url.host}`;
  const credentials = userinfoOf(url);
  if (!credentials) return { uri: origin, secrets: [] };

  const { username, password } = credentials;
  const token = basicAuthorization(username, password);
  return { uri: origin, token, secrets: [password, token.slice('Basic '.length)] };
}
