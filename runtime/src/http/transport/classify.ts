import { TaktError, type ErrorCode } from '../../errors';
import {
  abortReason,
  causeChain,
  codeOf,
  describeRequest,
  messageOf,
  proxyRefusalStatus,
  transportDetails,
  type RequestContext,
} from './failure-facts';

/**
 * The table that turns what a request threw into a TaktError, by the Node / undici / OpenSSL error code; its
 * other half, by response status, is classify-status.ts. Each row also says whether the request may have
 * reached the server (`details.requestMayHaveReachedServer`, see TransportErrorDetails), and each message
 * names what to fix.
 */

interface Facts {
  readonly what: string;
  readonly host: string;
  /** The machine the socket talks to: the proxy when there is one, else the target host. */
  readonly peer: string;
  readonly setting: string;
  readonly networkCode: string;
  readonly detail: string;
  readonly https: boolean;
}

interface NetworkRow {
  /** Exact codes (`err.code`, or the name of a DOMException abort). */
  readonly codes: readonly string[];
  /** Families of codes too many to list (OpenSSL verification codes, llhttp parser codes). */
  readonly pattern?: RegExp;
  readonly code: ErrorCode;
  readonly reached: boolean;
  readonly message: (facts: Facts) => string;
}

const TLS_UNTRUSTED = (f: Facts): string =>
  `The server's certificate for ${f.host} is not trusted (${f.networkCode}). If it is signed by your company's ` +
  "internal CA, add that CA certificate (PEM) in the connection's TLS settings (tls.ca); turning off " +
  'certificate verification (tls.rejectUnauthorized = false) is for tests only.';

const TLS_HANDSHAKE = (f: Facts): string =>
  `The TLS handshake with ${f.host} failed (${f.networkCode}: ${f.detail}). Check that the port speaks HTTPS ` +
  '(use http:// for a plain port), and if the server requires a client certificate, set tls.cert and tls.key.';

/** Cancelled by the caller: the request may have been sent already. */
const ABORTED: NetworkRow = {
  codes: ['AbortError', 'TimeoutError', 'UND_ERR_ABORTED', 'UND_ERR_ABORT'],
  code: 'ABORTED',
  reached: true,
  message: (f) => `${f.what} was cancelled (${f.detail}).`,
};

const NETWORK: readonly NetworkRow[] = [
  {
    codes: ['ENOTFOUND'],
    code: 'DNS_NOT_FOUND',
    reached: false,
    message: (f) =>
      `The host name of ${f.peer} could not be found (ENOTFOUND). Check it in ${f.setting}; a host on the ` +
      'company network may need the company DNS or VPN on this machine.',
  },
  {
    codes: ['EAI_AGAIN'],
    code: 'DNS_TEMPORARY',
    reached: false,
    message: (f) => `DNS could not resolve ${f.peer} right now (EAI_AGAIN); if it persists, check this machine's DNS.`,
  },
  {
    codes: ['ECONNREFUSED'],
    code: 'CONNECTION_REFUSED',
    reached: false,
    message: (f) =>
      `${cap(f.peer)} refused the connection (${f.detail}): nothing accepts connections on that port. Check ` +
      `the port in ${f.setting} and that the service is running.`,
  },
  {
    codes: ['EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'EADDRNOTAVAIL'],
    code: 'NETWORK_UNREACHABLE',
    reached: false,
    message: (f) =>
      `${cap(f.peer)} cannot be reached from this machine (${f.networkCode}). Check the network route, VPN and ` +
      'firewall; a host that is only reachable through a proxy needs the proxy setting.',
  },
  {
    codes: ['UND_ERR_CONNECT_TIMEOUT'],
    code: 'CONNECT_TIMEOUT',
    reached: false,
    message: (f) =>
      `No connection to ${f.peer} could be opened in time (${f.detail}). A firewall that drops packets looks like ` +
      `this: check the host and port in ${f.setting}, or raise timeouts.connectMs for a slow network.`,
  },
  {
    codes: ['UND_ERR_HEADERS_TIMEOUT'],
    code: 'HEADERS_TIMEOUT',
    reached: true,
    message: (f) =>
      `${f.what} was sent, but no response arrived within timeouts.headersMs. The server may be overloaded or ` +
      'the operation slow; raise timeouts.headersMs for long-running calls such as large batches.',
  },
  {
    codes: ['UND_ERR_BODY_TIMEOUT'],
    code: 'BODY_TIMEOUT',
    reached: true,
    message: (f) =>
      `The response to ${f.what} stalled: no data arrived for longer than timeouts.bodyMs. Raise it if the ` +
      'server streams large results slowly.',
  },
  {
    // ETIMEDOUT is the kernel giving up on an open socket; undici's own connect timeout fires long before a
    // connect could end that way, so it means a connection lost mid-request.
    codes: ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT'],
    code: 'CONNECTION_RESET',
    reached: true,
    message: (f) =>
      `The connection to ${f.peer} closed before the response to ${f.what} was complete (${f.networkCode}: ` +
      `${f.detail}). Servers, load balancers and firewalls cut connections on restart or when idle.` +
      // TLS 1.3 servers check the client certificate after the handshake, then just close the socket.
      (f.https ? ' A server that requires a client certificate also does this (set tls.cert and tls.key).' : ''),
  },
  {
    codes: [
      'SELF_SIGNED_CERT_IN_CHAIN',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      // Same remedy: the chain ends in a CA this client does not know.
      'UNABLE_TO_GET_ISSUER_CERT',
      'CERT_UNTRUSTED',
    ],
    code: 'TLS_CERT_UNTRUSTED',
    reached: false,
    message: TLS_UNTRUSTED,
  },
  {
    codes: ['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH'],
    code: 'TLS_HOSTNAME_MISMATCH',
    reached: false,
    message: (f) =>
      `The server's certificate is not valid for the name ${f.host} (${f.detail}). Use a host name the ` +
      'certificate was issued for in the URL, or set tls.servername to it.',
  },
  {
    // undici wraps a proxy's own certificate-name failure (an https:// proxy) in SecureProxyConnectionError.
    codes: ['UND_ERR_PRX_TLS'],
    code: 'TLS_HOSTNAME_MISMATCH',
    reached: false,
    message: (f) =>
      `The certificate of ${f.peer} is not valid for its name (${f.detail}). Use the host name the proxy's ` +
      'certificate was issued for in the proxy setting.',
  },
  {
    codes: ['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'],
    code: 'TLS_CERT_EXPIRED',
    reached: false,
    message: (f) =>
      `The server's certificate for ${f.host} is ${f.networkCode === 'CERT_HAS_EXPIRED' ? 'expired' : 'not valid yet'} ` +
      `(${f.networkCode}). Ask the server's administrators to renew it; if only this machine sees it, check its clock.`,
  },
  {
    codes: ['EPROTO'],
    pattern: /^(ERR_SSL_|ERR_TLS_|ERR_OSSL_|CERT_|CRL_|UNABLE_TO_|INVALID_CA|PATH_LENGTH_EXCEEDED|INVALID_PURPOSE)/,
    code: 'TLS_HANDSHAKE_FAILED',
    reached: false,
    message: TLS_HANDSHAKE,
  },
  ABORTED,
  {
    codes: ['ERR_INVALID_URL'],
    code: 'URL_INVALID',
    reached: false,
    message: (f) => `The URL of ${f.what} is not valid; check the connection's URL and the request path.`,
  },
  {
    codes: ['UND_ERR_INVALID_ARG', 'ERR_INVALID_CHAR', 'ERR_HTTP_INVALID_HEADER_VALUE'],
    code: 'CONFIG_INVALID',
    reached: false,
    message: (f) => `${f.what} was refused before sending (${f.detail}); check its method, headers and body.`,
  },
  {
    codes: ['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'UND_ERR_HEADERS_OVERFLOW'],
    pattern: /^HPE_/,
    code: 'RESPONSE_INVALID',
    reached: true,
    message: (f) =>
      `The answer from ${f.peer} to ${f.what} is not valid HTTP (${f.networkCode}: ${f.detail}). Check that the ` +
      'URL points at the HTTP API and not at another protocol on that port.',
  },
];

const BY_CODE = new Map(NETWORK.flatMap((row) => row.codes.map((code) => [code, row] as const)));

function networkRow(code: string): NetworkRow | undefined {
  return BY_CODE.get(code) ?? NETWORK.find((row) => row.pattern?.test(code));
}

/**
 * The TaktError for anything a request threw. TaktErrors pass through; a fired caller signal wins over what
 * undici made of it; proxy refusals are recognised by message (see proxyRefusalStatus); the rest goes by code
 * through the table, looking through wrapped causes. What nothing matches is INTERNAL and counts as "may
 * have reached the server", the safe answer for a write.
 */
export function classifyFailure(error: unknown, context: RequestContext): TaktError {
  if (TaktError.is(error)) return error;
  if (context.signal?.aborted) {
    return fromRow(ABORTED, 'AbortError', abortReason(context.signal), context, error);
  }
  if (context.proxy) {
    const status = proxyRefusalStatus(error);
    if (status !== undefined) return proxyRefusal(status, context.proxy, context, error);
  }
  for (const candidate of causeChain(error)) {
    const networkCode = codeOf(candidate);
    if (networkCode === undefined) continue;
    const row = networkRow(networkCode);
    if (row) return fromRow(row, networkCode, messageOf(candidate), context, candidate);
  }
  const networkCode = codeOf(error) ?? (error instanceof Error ? error.name : typeof error);
  return new TaktError(
    'INTERNAL',
    `${describeRequest(context)} failed unexpectedly (${networkCode}: ${messageOf(error)}).`,
    { cause: error, details: transportDetails(context, true, { networkCode }) },
  );
}

function fromRow(
  row: NetworkRow,
  networkCode: string,
  detail: string,
  context: RequestContext,
  cause: unknown,
): TaktError {
  const proxyHost = context.proxy ? new URL(context.proxy).host : undefined;
  const facts: Facts = {
    what: describeRequest(context),
    host: context.url.host,
    peer: proxyHost ? `the proxy ${proxyHost}` : `the host ${context.url.host}`,
    setting: proxyHost ? 'the proxy setting (proxy.url, or HTTPS_PROXY / HTTP_PROXY)' : "the connection's URL",
    networkCode,
    detail,
    https: context.url.protocol === 'https:',
  };
  return new TaktError(row.code, row.message(facts), {
    cause,
    details: transportDetails(context, row.reached, row.code === 'ABORTED' ? {} : { networkCode }),
  });
}

function proxyRefusal(status: number, proxy: string, context: RequestContext, cause: unknown): TaktError {
  const proxyHost = new URL(proxy).host;
  const details = transportDetails(context, false, { status, ...optionalCode(cause) });
  if (status === 407) {
    return new TaktError(
      'PROXY_AUTH_FAILED',
      `The proxy ${proxyHost} answered 407 to the request for ${context.url.host}: it needs credentials, or ` +
        'refused the ones given. Put the user name and password in the proxy URL (http://user:password@host:port).',
      { cause, details },
    );
  }
  return new TaktError(
    'PROXY_FAILED',
    `The proxy ${proxyHost} could not open a connection to ${context.url.host} (it answered ${status}). Check ` +
      'that the proxy allows this host and port, or list the host in NO_PROXY (proxy.noProxy) to go direct.',
    { cause, details },
  );
}

function optionalCode(error: unknown): { networkCode?: string } {
  const networkCode = codeOf(error);
  return networkCode ? { networkCode } : {};
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
