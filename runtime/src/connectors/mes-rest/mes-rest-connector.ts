import { TaktError, forgetSecret, redactUrl, registerSecret, toTaktError } from '../../errors';
import { HttpConnection, type HttpConnectionOptions } from '../../http';
import { systemClock, type Clock } from '../../time';
import type {
  ConnectionTestResult,
  Connector,
  EntityDescriptor,
  Page,
  WriteItem,
  WriteOptions,
  WriteResult,
} from '../types';
import { authHeaders } from './auth-headers';
import { bulkOutcomes } from './bulk-results';
import { DEFAULT_RATE_LIMIT_HEADERS, type RestEntityConfig, type RestUpsertConfig, type ResultPaths } from './config';
import { getPath, wrapAt } from './json-path';
import { connectionTestFailure } from './connection-test-message';
import { writeTree, type Payload } from './nested-split';
import { rateLimitResumeAt } from './rate-limit-headers';
import { failed, fromError, outcomeOf, rejectionOf, type RecordOutcome } from './record-outcome';
import { validateRestConfig } from './validate-config';

/**
 * A REST upsert target as a Connector: per-entity upsert endpoints (single and bulk), results read from
 * configured paths, nested children inline or split parents first, and the target's rate-limit headers
 * honoured before it has to answer 429. `mesSyncApiProfile` configures it for the MES sync API.
 *
 * Every call goes through one HttpConnection: its limiter is shared with every other caller of the same
 * connection id, so when a response says the budget is spent (X-RateLimit-Remaining: 0) the connector pauses
 * that limiter until X-RateLimit-Reset and every caller waits, not only this write. Writes are upserts by key,
 * so they are sent as idempotent: a 429 or a lost connection is retried under the connection's policy.
 */
export class MesRestConnector implements Connector {
  readonly kind: string;
  private readonly config: RestUpsertConfig;
  private readonly httpOptions: HttpConnectionOptions;
  private readonly connection: HttpConnection;
  private readonly clock: Clock;
  private readonly specs: ReadonlyMap<string, RestEntityConfig>;
  private readonly secrets: readonly string[];
  private closing: Promise<void> | undefined;

  constructor(config: RestUpsertConfig) {
    validateRestConfig(config);
    this.config = config;
    this.kind = config.kind ?? 'mes-rest';
    this.specs = new Map(config.entities.map((entity) => [entity.name, entity]));
    const auth = authHeaders(config.auth);
    this.clock = config.http?.clock ?? systemClock;
    this.httpOptions = {
      ...config.http,
      id: config.connectionId,
      baseUrl: config.baseUrl,
      defaultHeaders: auth.headers,
      clock: this.clock,
    };
    this.connection = new HttpConnection(this.httpOptions);
    this.secrets = auth.secrets;
    for (const secret of this.secrets) registerSecret(secret);
  }

  entities(): readonly EntityDescriptor[] {
    return this.config.entities.map((spec) => ({
      name: spec.name,
      title: spec.title,
      keyFields: spec.keyFields,
      ...(spec.canonical ? { canonical: spec.canonical } : {}),
      capabilities: {
        read: false,
        create: true,
        update: true,
        delete: false,
        upsert: true,
        batch: spec.bulk !== undefined,
      },
    }));
  }

  /** The sync API is write-only: it documents no listing endpoint, so `capabilities.read` is false. */
  read(entity: string): AsyncIterable<Page> {
    const error = new TaktError(
      'CONFIG_INVALID',
      `${this.kind} ${entity}: this target has upsert endpoints only and cannot be read; use it as a write target.`,
    );
    return { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }) };
  }

  /**
   * Upserts by key. `create`, `update` and `upsert` all go to the upsert endpoints (the result says what the
   * target did); `delete` is refused. Bulk calls carry at most the entity's `maxRecords` (or `batchSize`).
   */
  async write(entity: string, records: readonly WriteItem[], options: WriteOptions): Promise<WriteResult[]> {
    const spec = this.entity(entity);
    if (options.mode === 'delete') {
      throw new TaktError(
        'CONFIG_INVALID',
        `${this.kind} ${entity}: the target upserts only; delete is not supported.`,
      );
    }
    const payloads = records.map((item): Payload => ({ ...item.data, ...item.key }));
    const writer = {
      entity: (name: string) => this.entity(name),
      send: (target: RestEntityConfig, batch: readonly Payload[]) =>
        this.sendAll(target, batch, options.batchSize, options.signal),
    };
    const outcomes = await writeTree(writer, spec, payloads);
    return outcomes.map((outcome, index) => ({ index, ...outcome }));
  }

  async test(options: { readonly signal?: AbortSignal } = {}): Promise<ConnectionTestResult> {
    const started = this.clock.now();
    const probe = this.config.test;
    if (!probe) {
      return { ok: false, latencyMs: 0, message: `No test request is configured for this ${this.kind} target.` };
    }
    // One attempt: a user pressing "test" wants the verdict now, not after the retry budget.
    const connection = new HttpConnection({
      ...this.httpOptions,
      retry: { ...this.httpOptions.retry, maxAttempts: 1 },
    });
    try {
      const response = await connection.send(
        { method: probe.method ?? 'GET', path: probe.path, ...bodyOf(probe.body), ...signalOf(options.signal) },
        { idempotent: true },
      );
      this.observe(response.headers);
      const latencyMs = this.clock.now() - started;
      const remaining = response.headers['x-ratelimit-remaining'];
      return {
        ok: true,
        latencyMs,
        message: `Connected to ${redactUrl(this.config.baseUrl)} in ${latencyMs} ms; the credentials were accepted.`,
        system: {
          kind: this.kind,
          url: redactUrl(this.config.baseUrl),
          ...(typeof remaining === 'string' ? { rateLimitRemaining: remaining } : {}),
        },
      };
    } catch (caught) {
      const error = toTaktError(caught);
      return {
        ok: false,
        latencyMs: this.clock.now() - started,
        message: connectionTestFailure(error, this.config),
        error: { code: error.code, message: error.message, retryable: error.retryable },
      };
    } finally {
      await connection.close();
    }
  }

  close(): Promise<void> {
    this.closing ??= this.connection.close().finally(() => {
      for (const secret of this.secrets) forgetSecret(secret);
    });
    return this.closing;
  }

  private entity(name: string): RestEntityConfig {
    const spec = this.specs.get(name);
    if (!spec) {
      throw new TaktError(
        'ENTITY_UNKNOWN',
        `${this.kind} has no entity "${name}"; known: ${[...this.specs.keys()].join(', ')}.`,
        { details: { entity: name } },
      );
    }
    return spec;
  }

  /**
   * Flat records of one entity, in calls of at most `batchSize`, one after another. A call the target refuses
   * as a whole for the data's sake (400, 413) fails its records and the next call goes on; any other failure
   * before the first answer throws (nothing was attempted), and after it fails this call's records and marks
   * the rest not sent, since the target is unreachable or the credentials stopped working.
   */
  private async sendAll(
    spec: RestEntityConfig,
    payloads: readonly Payload[],
    batchSize: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<RecordOutcome[]> {
    const outcomes: RecordOutcome[] = [];
    const pending: number[] = [];
    payloads.forEach((payload, i) => {
      const missing = spec.keyFields.filter((field) => !isKeyValue(payload[field]));
      if (missing.length === 0) pending.push(i);
      else
        outcomes[i] = failed(
          'RECORD_INVALID',
          `${this.label(spec, payload)}: key field ${missing.join(', ')} missing.`,
        );
    });
    const size = spec.bulk ? Math.max(1, Math.min(batchSize ?? spec.bulk.maxRecords, spec.bulk.maxRecords)) : 1;
    let answered = false;
    for (let start = 0; start < pending.length; start += size) {
      const chunk = pending.slice(start, start + size);
      try {
        this.checkPause();
        const results = await this.sendChunk(
          spec,
          chunk.map((i) => payloads[i] ?? {}),
          signal,
        );
        chunk.forEach((i, k) => (outcomes[i] = results[k] ?? failed('INTERNAL', 'result missing')));
        answered = true;
      } catch (caught) {
        const error = toTaktError(caught);
        if (error.kind === 'data' || error.kind === 'conflict') {
          for (const i of chunk) outcomes[i] = fromError(error);
          answered = true;
          continue;
        }
        if (!answered) throw error;
        const notSent = new TaktError(error.code, `Not sent after an earlier call failed: ${error.message}`, {
          retryable: error.retryable,
          ...(error.retryAt ? { retryAt: error.retryAt } : {}),
        });
        for (const i of chunk) outcomes[i] = fromError(error);
        for (const i of pending.slice(start + size)) outcomes[i] = fromError(notSent);
        break;
      }
    }
    return payloads.map((_, i) => outcomes[i] ?? failed('INTERNAL', 'record was not processed'));
  }

  /** One request: the bulk endpoint for several records (or when there is no single one), else the single one. */
  private async sendChunk(
    spec: RestEntityConfig,
    chunk: readonly Payload[],
    signal: AbortSignal | undefined,
  ): Promise<RecordOutcome[]> {
    const paths: ResultPaths = { ...this.config.results, ...spec.results };
    const first = chunk[0];
    if (spec.bulk && (chunk.length > 1 || !spec.single)) {
      const body = await this.call(
        spec.bulk.method ?? 'POST',
        spec.bulk.path,
        wrapAt(spec.bulk.recordsPath, chunk),
        signal,
      );
      const sent = chunk.map((payload) => ({
        key: String(payload[spec.keyFields[0] ?? '']),
        label: this.label(spec, payload),
      }));
      return bulkOutcomes(body.body, paths, sent);
    }
    if (!spec.single || !first) throw new TaktError('INTERNAL', `${spec.name}: no endpoint to send to`);
    const label = this.label(spec, first);
    try {
      const response = await this.call(spec.single.method ?? 'PUT', spec.single.path, first, signal);
      return [outcomeOf(getPath(response.body, paths.single), paths, label, response.status)];
    } catch (caught) {
      const rejection = TaktError.is(caught) ? rejectionOf(caught, paths, label) : undefined;
      if (rejection) return [rejection];
      throw caught;
    }
  }

  private async call(
    method: string,
    path: string,
    body: unknown,
    signal: AbortSignal | undefined,
  ): Promise<{ status: number; body: unknown }> {
    try {
      const response = await this.connection.send(
        { method, path, ...bodyOf(body), ...signalOf(signal) },
        { idempotent: true },
      );
      this.observe(response.headers);
      return response;
    } catch (caught) {
      const headers = TaktError.is(caught) ? caught.details.responseHeaders : undefined;
      if (typeof headers === 'object' && headers !== null) {
        this.observe(headers as Readonly<Record<string, string | string[]>>);
      }
      throw caught;
    }
  }

  /** Remaining 0 → hold every caller of this connection until Reset (see rate-limit-headers.ts). */
  private observe(headers: Readonly<Record<string, string | string[]>>): void {
    const names = this.config.rateLimitHeaders ?? DEFAULT_RATE_LIMIT_HEADERS;
    if (names === false) return;
    const resumeAt = rateLimitResumeAt(headers, names, this.clock.now());
    if (resumeAt === undefined) return;
    this.connection.pauseUntil(resumeAt);
    this.config.logger?.info('rate limit budget spent; next call waits for the reset', {
      connection: this.config.connectionId,
      resumeAt: new Date(resumeAt).toISOString(),
    });
  }

  /**
   * A pause longer than the retry policy lets one wait last is not slept through inside a write: the records
   * not yet sent come back RETRY_DEFERRED with the time, so the caller parks them instead of holding a worker.
   */
  private checkPause(): void {
    const until = this.connection.pausedUntil;
    if (until === undefined || until - this.clock.now() <= this.connection.policy.maxDelayMs) return;
    const retryAt = new Date(until);
    throw new TaktError(
      'RETRY_DEFERRED',
      `The target's rate limit is spent until ${retryAt.toISOString()}; the remaining records wait until then.`,
      { retryAt },
    );
  }

  private label(spec: RestEntityConfig, payload: Payload): string {
    const key = payload[spec.keyFields[0] ?? ''];
    return `${spec.name} ${isKeyValue(key) ? String(key) : '(no key)'}`;
  }
}

function isKeyValue(value: unknown): value is string | number {
  return (typeof value === 'string' && value.length > 0) || (typeof value === 'number' && Number.isFinite(value));
}

function bodyOf(body: unknown): { body?: Readonly<Record<string, unknown>> | readonly unknown[] } {
  if (Array.isArray(body)) return { body };
  return typeof body === 'object' && body !== null ? { body: body as Readonly<Record<string, unknown>> } : {};
}

function signalOf(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}
