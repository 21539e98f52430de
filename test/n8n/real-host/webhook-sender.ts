import { randomBytes } from 'node:crypto';

import { signStandardWebhook } from '@takt/runtime';

/** A sender of Standard Webhooks events (what the MES would be): signs each body with the endpoint's secret. */

export interface WebhookAnswer {
  readonly status: number;
  readonly body: unknown;
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export async function postSigned(
  url: string,
  secret: string,
  eventId: string,
  payload: unknown,
  options: { readonly forge?: boolean } = {},
): Promise<WebhookAnswer> {
  const body = JSON.stringify(payload);
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = options.forge
    ? signStandardWebhook(newWebhookSecret(), eventId, timestamp, body)
    : signStandardWebhook(secret, eventId, timestamp, body);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': eventId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature,
    },
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? '' : JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, body: parsed };
}
