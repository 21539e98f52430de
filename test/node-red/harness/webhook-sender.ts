import { randomUUID } from 'node:crypto';
import { signStandardWebhook } from '@takt/runtime';

/** Posts one event the way a Standard Webhooks sender does (id, timestamp, v1 HMAC signature over the raw body). */
export async function postSignedEvent(
  url: string,
  secret: string,
  event: unknown,
): Promise<{ status: number; body: string }> {
  const body = JSON.stringify(event);
  const id = `msg_${randomUUID()}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signStandardWebhook(secret, id, timestamp, body),
    },
    body,
  });
  return { status: response.status, body: await response.text() };
}
