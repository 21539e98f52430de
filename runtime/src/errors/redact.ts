/**
 * Redaction: the single place that decides what a secret looks like. Every error message, cause, detail and
 * log line passes through here before it can be seen (invariant I7).
 *
 * Two layers, because neither is enough alone:
 * 1. Known secrets. Connections register the secret values they hold (passwords, tokens, client secrets,
 *    webhook secrets); any occurrence of such a value, raw or URL-encoded, is replaced. This catches a secret
 *    wherever a server or a library echoes it, whatever the surrounding syntax.
 * 2. Shapes. Authorization / Cookie style headers, `Bearer …`, credentials inside URLs, `password=…` pairs and
 *    `whsec_…` keys are masked even when nobody registered them (a URL typed into a node, a library message).
 *
 * The registry lives on a global symbol so that two copies of the runtime (n8n and Node-RED may each load
 * one) share it.
 */

export const REDACTED = '[REDACTED]';

/** Secrets shorter than this are not registered: masking every "abc" in every message would hide too much. */
const MIN_SECRET_LENGTH = 4;

interface SecretRegistry {
  readonly counts: Map<string, number>;
  pattern: RegExp | undefined;
}

const REGISTRY_KEY = Symbol.for('takt.redact.secrets');

function registry(): SecretRegistry {
  const holder = globalThis as { [REGISTRY_KEY]?: SecretRegistry };
  let found = holder[REGISTRY_KEY];
  if (!found) {
    found = { counts: new Map(), pattern: undefined };
    holder[REGISTRY_KEY] = found;
  }
  return found;
}

function variants(secret: string): string[] {
  const out = new Set([secret, encodeURIComponent(secret), Buffer.from(secret, 'utf8').toString('base64')]);
  return [...out].filter((v) => v.length >= MIN_SECRET_LENGTH);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function rebuild(reg: SecretRegistry): void {
  const all = [...reg.counts.keys()].flatMap(variants).sort((a, b) => b.length - a.length);
  reg.pattern = all.length > 0 ? new RegExp(all.map(escapeRegExp).join('|'), 'g') : undefined;
}

/**
 * Registers a secret value so that it is masked wherever it appears. Registration is counted: a connection
 * that registers in its constructor calls `forgetSecret` when it closes, and a value shared by two
 * connections stays masked until both closed.
 */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
  const reg = registry();
  const before = reg.counts.get(value) ?? 0;
  reg.counts.set(value, before + 1);
  if (before === 0) rebuild(reg);
}

export function forgetSecret(value: string | undefined | null): void {
  if (typeof value !== 'string') return;
  const reg = registry();
  const before = reg.counts.get(value);
  if (before === undefined) return;
  if (before > 1) {
    reg.counts.set(value, before - 1);
  } else {
    reg.counts.delete(value);
    rebuild(reg);
  }
}

const SENSITIVE_HEADER =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|apikey|x-auth-token|x-csrf-token|webhook-secret|x-webhook-secret)$/i;

/** Property names whose values are secrets wherever they appear in an object (credentials, configs, headers). */
const SENSITIVE_KEY =
  /^(authorization|proxy-?authorization|cookie|set-cookie|pass(word)?|passwd|pwd|passphrase|secret|client_?secret|clientsecret|webhook_?secret|token|access_?token|refresh_?token|id_?token|api_?key|apikey|x-api-key|private_?key|privatekey|key_?passphrase|connection_?string|connectionstring)$/i;

const SHAPES: readonly (readonly [RegExp, string])[] = [
  // scheme://user:password@host → keep the user name, it helps to diagnose; mask the password.
  [/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@:]*):([^\s/?#@]*)@/gi, `$1$2:${REDACTED}@`],
  // scheme://token@host (userinfo without a colon is usually a token)
  [/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@:]+)@/gi, `$1${REDACTED}@`],
  // "Authorization: Basic …" / "Cookie: a=b; c=d" in header dumps, and their JSON echo.
  [
    /\b(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token|x-csrf-token)("?\s*[:=]\s*"?)[^\r\n"]*/gi,
    `$1$2${REDACTED}`,
  ],
  [/\b(Bearer|Basic|Digest|NTLM|Negotiate)\s+[A-Za-z0-9._~+/=-]{4,}/g, `$1 ${REDACTED}`],
  // key=value and "key": "value" pairs with a secret-looking name.
  [
    /\b(password|passwd|pwd|passphrase|secret|client_secret|access_token|refresh_token|id_token|token|api_key|apikey|sig|signature)=([^&\s"',;]+)/gi,
    `$1=${REDACTED}`,
  ],
  [
    /("(?:password|passwd|pwd|passphrase|secret|clientSecret|client_secret|accessToken|access_token|refreshToken|refresh_token|token|apiKey|api_key|privateKey|private_key)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
    `$1"${REDACTED}"`,
  ],
  [/\bwhsec_[A-Za-z0-9+/=_-]+/g, `whsec_${REDACTED}`],
];

/** Masks secrets in free text: registered values first, then the shapes above. */
export function redactText(text: string): string {
  let out = text;
  const { pattern } = registry();
  if (pattern) out = out.replace(pattern, REDACTED);
  for (const [shape, replacement] of SHAPES) out = out.replace(shape, replacement);
  return out;
}

/** Masks the password (or token) in a URL's userinfo and secret-looking query parameters. */
export function redactUrl(url: string | URL): string {
  return redactText(typeof url === 'string' ? url : url.href);
}

export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_HEADER.test(name);
}

export function isSensitiveKey(name: string): boolean {
  return SENSITIVE_KEY.test(name) || SENSITIVE_HEADER.test(name);
}

const MAX_DEPTH = 8;

/**
 * A redacted deep copy for logs, error details and job records: values under sensitive keys are masked, every
 * string is run through `redactText`, Errors are reduced to name / code / message, and cycles are cut.
 */
export function redactValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? value.toString() : typeof value === 'function' ? undefined : value;
  }
  if (value instanceof Date) return value.toISOString();
  if (value instanceof URL) return redactUrl(value);
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      name: value.name,
      ...(typeof code === 'string' ? { code } : {}),
      message: redactText(value.message),
    };
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] =
      isSensitiveKey(key) && item !== undefined && item !== null ? REDACTED : redactValue(item, depth + 1, seen);
  }
  return out;
}

/** Header maps as they go into errors and logs. */
export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (isSensitiveHeader(name)) out[name] = REDACTED;
    else out[name] = Array.isArray(value) ? value.map(redactText) : redactText(value);
  }
  return out;
}
