import { randomBytes } from 'node:crypto';
import { TaktError } from '../errors';
import { describeOnEveryStore } from '../jobs/__fixtures__/store-backings';
import type { StateStore } from '../state';
import type { FakeClock } from '../time';
import { StandardWebhookVerifier, signStandardWebhook, type WebhookHeaders } from '../webhook';
import { DEFAULT_EVENT_RETENTION_MS, EventIntake } from './event-intake';
import { intakeReply, type IntakeReply } from './intake-reply';

const HOUR = 3600_000;

/** A host's webhook route in miniature: verify the raw bytes first (I6), then hand the event to the intake. */
function webhookRoute(store: StateStore, clock: FakeClock, secret: string, applied: string[]) {
  const verifier = new StandardWebhookVerifier({ secrets: [secret], clock });
  const intake = new EventIntake(store, { scope: 'mes-webhook', clock });
  return async (headers: WebhookHeaders, body: string): Promise<IntakeReply | { status: number }> => {
    let verified;
    try {
      verified = verifier.verify(headers, body);
    } catch (error) {
      return { status: TaktError.is(error) ? Number(error.details['status'] ?? 400) : 400 };
    }
    const result = await intake.process(
      { id: verified.id, payload: JSON.parse(verified.body.toString('utf8')) as unknown },
      (payload) => {
        applied.push(JSON.stringify(payload));
      },
    );
    return intakeReply(result, clock.now());
  };
}

function signed(secret: string, id: string, at: number, body: string): WebhookHeaders {
  const timestamp = Math.floor(at / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signStandardWebhook(secret, id, timestamp, body),
  };
}

describeOnEveryStore('webhook gate → intake', (backing) => {
  describe('T19 replay inside the window', () => {
    it('a captured delivery re-sent 10 s later, and re-signed with a new timestamp, both answer duplicate', async () => {
      expect(DEFAULT_EVENT_RETENTION_MS).toBeGreaterThanOrEqual(72 * HOUR);
      const clock = backing.clock;
      const secret = `whsec_${randomBytes(32).toString('base64')}`;
      const applied: string[] = [];
      const route = webhookRoute(await backing.open(), clock, secret, applied);
      const body = '{"type":"order.released","order":"1000123"}';
      const captured = signed(secret, 'msg_t19', clock.now(), body);

      expect(await route(captured, body)).toEqual({ status: 200, body: { status: 'processed', id: 'msg_t19' } });
      await clock.advance(10_000);
      expect(await route(captured, body)).toEqual({ status: 200, body: { status: 'duplicate', id: 'msg_t19' } });
      await clock.advance(60_000);
      const retried = signed(secret, 'msg_t19', clock.now(), body);
      expect(await route(retried, body)).toEqual({ status: 200, body: { status: 'duplicate', id: 'msg_t19' } });
      // The sender's retries span days: a retry 71 h later is still recognised.
      await clock.advance(71 * HOUR);
      expect(await route(signed(secret, 'msg_t19', clock.now(), body), body)).toMatchObject({
        body: { status: 'duplicate' },
      });
      expect(applied).toEqual([body.replace(/\s/g, '')]);
    });

    it('a forged delivery is refused before the intake and claims nothing', async () => {
      const clock = backing.clock;
      const secret = `whsec_${randomBytes(32).toString('base64')}`;
      const forger = `whsec_${randomBytes(32).toString('base64')}`;
      const applied: string[] = [];
      const route = webhookRoute(await backing.open(), clock, secret, applied);
      const body = '{"order":"1"}';
      expect(await route(signed(forger, 'msg_forged', clock.now(), body), body)).toEqual({ status: 401 });
      expect(await route(signed(secret, 'msg_forged', clock.now(), body), body)).toMatchObject({
        body: { status: 'processed' },
      });
      expect(applied).toHaveLength(1);
    });
  });
});
