import {
  receiveWebhook,
  TaktError,
  type EventIdSource,
  type SharedSecretMode,
  type WebhookVerification,
} from '@takt/runtime';

import { textField } from './shared/connection-check';
import { toTaktError } from './shared/errors';
import { captureRawBodyFirst, rawBody, rawBodyOf, removePostRoute, replyJson } from './shared/http-route';
import type { HttpHandler, NodeDef, NodeRedApi, NodeWithCredentials } from './shared/node-red';
import { nodeStore, type NodeStore } from './shared/node-store';
import { wholeNumberField } from './shared/sap-entity';
import { taktSettings } from './shared/settings';
import { statusError, statusIdle, statusOk, statusText, statusWaiting } from './shared/status';

/**
 * `takt-webhook-in`: a signed-event endpoint on Node-RED's HTTP server (`POST <httpNodeRoot><path>`). The
 * signature is verified on the raw bytes before anything is parsed or stored; the event id is claimed in the
 * state store so a sender's retry is answered "duplicate" instead of running the flow twice. The node replies
 * itself — 200 accepted / duplicate, 401 (no body) for a bad signature, 409 while the same event is in
 * progress, 413 too large, 503 when the store does not answer — and emits each new event with `msg._takt`,
 * whose token a `takt-ack` node settles (NACK: the event is released for a redelivery, then dead-lettered).
 */

interface WebhookCredentials {
  readonly secret: string;
}

interface WebhookSettings {
  readonly path: string;
  readonly scope: string;
  readonly verification: WebhookVerification;
  readonly eventId: EventIdSource | undefined;
  readonly claimTtlMs: number;
  readonly maxAttempts: number;
}

type WebhookNode = NodeWithCredentials<WebhookCredentials>;

export = function registerTaktWebhookIn(RED: NodeRedApi): void {
  const tunables = taktSettings(RED);

  function TaktWebhookIn(this: WebhookNode, def: NodeDef): void {
    RED.nodes.createNode(this, def);

    let storeNode: NodeStore;
    let settings: WebhookSettings;
    try {
      if (typeof (RED.httpNode as Partial<typeof RED.httpNode> | undefined)?.post !== 'function') {
        throw new TaktError(
          'CONFIG_INVALID',
          "Node-RED's HTTP endpoints are off (settings.js httpNodeRoot is false); turn them on to receive webhooks.",
        );
      }
      storeNode = nodeStore(RED, this, def.store);
      settings = readSettings(def, this.credentials?.secret ?? '');
    } catch (error) {
      // Without a valid configuration there is no endpoint to offer: say why, and register nothing.
      const taktError = toTaktError(error);
      this.status(statusError(statusText(taktError.code)));
      this.error(taktError.message);
      return;
    }

    let received = 0;
    const handler: HttpHandler = (req, res) => {
      storeNode
        .store()
        .then((store) =>
          receiveWebhook({
            store,
            scope: settings.scope,
            verification: settings.verification,
            headers: req.headers,
            rawBody: rawBodyOf(req),
            maxBytes: tunables.webhookMaxBytes,
            ...(settings.eventId ? { eventId: settings.eventId } : {}),
            claimTtlMs: settings.claimTtlMs,
            maxAttempts: settings.maxAttempts,
            // The sender has its 200 before the flow runs and will not send the event again, so a NACK must
            // dead-letter it (replayable from takt-ack) rather than release it to a redelivery that never comes.
            senderRetries: false,
          }),
        )
        .then(
          ({ reply, event }) => {
            replyJson(res, reply.status, reply.body, reply.headers);
            if (event !== undefined) {
              received += 1;
              this.status(statusOk(RED._('takt-webhook-in.status.received', { count: received })));
              this.send({
                topic: settings.scope,
                payload: event.payload,
                _takt: event.meta,
                webhook: {
                  id: event.id,
                  attempt: event.attempt,
                  ...(event.lastError ? { lastError: event.lastError } : {}),
                },
              });
            } else if (reply.status === 200) {
              this.status(statusIdle(RED._('takt-webhook-in.status.duplicate')));
            } else {
              const text = RED._('takt-webhook-in.status.rejected', { status: reply.status });
              this.status(reply.status >= 500 || reply.status === 409 ? statusWaiting(text) : statusError(text));
            }
          },
          (error: unknown) => {
            // The store could not be opened (or the runtime refused the configuration): fail closed.
            const taktError = toTaktError(error);
            const status = taktError.kind === 'config' ? 500 : 503;
            replyJson(
              res,
              status,
              {
                status: status === 503 ? 'unavailable' : 'error',
                error: 'The webhook endpoint cannot take events now.',
              },
              status === 503 ? { 'retry-after': '5' } : {},
            );
            this.status(statusError(statusText(taktError.code)));
            this.error(taktError.message);
          },
        );
    };

    const readBody = rawBody(tunables.webhookMaxBytes, () =>
      this.error(
        `${settings.path}: a body parser in settings.httpNodeMiddleware read the request first; ` +
          'signatures need the raw body, so exclude this path from that parser.',
      ),
    );
    const releaseRawRoute = captureRawBodyFirst(RED.httpNode, settings.path, tunables.webhookMaxBytes);
    RED.httpNode.post(settings.path, readBody, handler);
    this.status(statusIdle(settings.path));

    this.on('close', (_removed, done) => {
      releaseRawRoute();
      removePostRoute(RED.httpNode, settings.path);
      done();
    });
  }

  RED.nodes.registerType('takt-webhook-in', TaktWebhookIn, { credentials: { secret: { type: 'password' } } });
};

const ID_SOURCES = ['body-hash', 'header', 'body'] as const;

function readSettings(def: NodeDef, secret: string): WebhookSettings {
  const rawPath = textField(def, 'path');
  if (rawPath === undefined || !/^\/?[A-Za-z0-9._~\-/:]+$/.test(rawPath)) {
    throw new TaktError(
      'CONFIG_INVALID',
      'Path must be a URL path such as /takt/sap-events (letters, digits, "/", "-", "_", ".", ":").',
    );
  }
  const path = rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
  if (secret === '') throw new TaktError('CONFIG_INVALID', 'Enter the Secret the sender signs its events with.');
  const kind = textField(def, 'verification') ?? 'standard';
  let verification: WebhookVerification;
  let eventId: EventIdSource | undefined;
  if (kind === 'standard') {
    verification = { kind: 'standard', secret };
  } else if (kind === 'shared-secret') {
    const header = textField(def, 'header');
    if (header === undefined) throw new TaktError('CONFIG_INVALID', 'Enter the Header that carries the signature.');
    const mode = (textField(def, 'mode') ?? 'hmac-sha256') as SharedSecretMode;
    if (mode !== 'token' && mode !== 'hmac-sha256') {
      throw new TaktError('CONFIG_INVALID', 'Signature must be "token" or "hmac-sha256".');
    }
    const prefix = textField(def, 'prefix');
    const encoding = textField(def, 'encoding');
    verification = {
      kind: 'shared-secret',
      header,
      secret,
      mode,
      ...(prefix ? { prefix } : {}),
      ...(encoding === 'base64' || encoding === 'hex' ? { encoding } : {}),
    };
    eventId = eventIdSource(def);
  } else {
    throw new TaktError('CONFIG_INVALID', `Verification must be "standard" or "shared-secret" (got "${kind}").`);
  }
  return {
    path,
    scope: `webhook:${path}`,
    verification,
    eventId,
    claimTtlMs: wholeNumberField(def, 'ackTimeout', 'Acknowledge within (minutes)', 5) * 60_000,
    maxAttempts: wholeNumberField(def, 'maxAttempts', 'Attempts before dead letter', 5),
  };
}

function eventIdSource(def: NodeDef): EventIdSource {
  const from = textField(def, 'eventIdFrom') ?? 'body-hash';
  if (!(ID_SOURCES as readonly string[]).includes(from)) {
    throw new TaktError('CONFIG_INVALID', `Event id must come from ${ID_SOURCES.join(', ')} (got "${from}").`);
  }
  if (from === 'header') {
    const name = textField(def, 'eventIdHeader');
    if (name === undefined) throw new TaktError('CONFIG_INVALID', 'Enter the Event id header.');
    return { from: 'header', name };
  }
  if (from === 'body') {
    const path = textField(def, 'eventIdPath');
    if (path === undefined) throw new TaktError('CONFIG_INVALID', 'Enter the Event id field (for example data.id).');
    return { from: 'body', path };
  }
  return { from: 'body-hash' };
}
