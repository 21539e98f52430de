import { toTaktError } from '../../errors';
import type { Logger } from '../../log';
import type { Clock } from '../../time';
import type { SapEntity } from './entities';
import { parseV2Metadata, type ServiceMetadata } from './odata-metadata';
import type { SapHttp } from './sap-http';
import { dateProperties, type WireDateType } from './v2-wire-values';

/** After a failed `$metadata` read, writes go out as given for this long before the document is tried again. */
export const METADATA_RETRY_MS = 5 * 60_000;

/**
 * The date and time properties of V2 entity sets, from their service's `$metadata`, read at most once per service
 * and connector (the document describes the whole service, and it changes only with a transport into the system).
 *
 * Fetched lazily, by the first write that carries an ISO-looking string (sap-write.ts): writes without dates cost
 * no extra request, and a service that serves no `$metadata` to this user is never asked. Once the document is
 * known, every string in a date property is checked, whatever it looks like.
 *
 * When the document cannot be read or lacks the entity set, writes go out as given (SAP then judges the values),
 * and one warning per service says so; the write itself never fails for it. A failed read is tried again after
 * METADATA_RETRY_MS, without another warning. Cancellation is not such a failure: it propagates.
 */
export class ServiceMetadataCache {
  private readonly documents = new Map<string, Promise<ServiceMetadata | undefined>>();
  private readonly failedAt = new Map<string, number>();
  private readonly warned = new Set<string>();
  private readonly loaded = new Set<string>();

  constructor(
    private readonly http: SapHttp,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Whether the entity's service document is at hand: then checking values costs no request. */
  isKnown(entity: SapEntity): boolean {
    return this.loaded.has(entity.servicePath);
  }

  /** Property name → wire date type for the entity's set; undefined when unknown (send values as given). */
  async dateProperties(
    entity: SapEntity,
    signal: AbortSignal | undefined,
  ): Promise<ReadonlyMap<string, WireDateType> | undefined> {
    const metadata = await this.document(entity, signal);
    if (metadata === undefined) return undefined;
    const types = metadata.propertyTypes(entity.entitySet);
    if (types === undefined) {
      this.warnOnce(entity, `its $metadata has no entity set ${entity.entitySet}`);
      return undefined;
    }
    return dateProperties(types);
  }

  private document(entity: SapEntity, signal: AbortSignal | undefined): Promise<ServiceMetadata | undefined> {
    const key = entity.servicePath;
    const failed = this.failedAt.get(key);
    if (failed !== undefined && this.clock.now() - failed < METADATA_RETRY_MS) return Promise.resolve(undefined);
    let document = this.documents.get(key);
    if (document === undefined) {
      document = this.fetch(entity, signal);
      this.documents.set(key, document);
    }
    return document;
  }

  private async fetch(entity: SapEntity, signal: AbortSignal | undefined): Promise<ServiceMetadata | undefined> {
    const key = entity.servicePath;
    try {
      const answer = await this.http.send({
        method: 'GET',
        path: `${entity.servicePath}/$metadata`,
        headers: { accept: 'application/xml' },
        idempotent: true,
        ...(signal ? { signal } : {}),
      });
      const metadata = parseV2Metadata(answer.body.toString('utf8'));
      this.failedAt.delete(key);
      this.loaded.add(key);
      return metadata;
    } catch (error) {
      this.documents.delete(key);
      const failure = toTaktError(error);
      if (failure.code === 'ABORTED' || signal?.aborted) throw failure;
      this.failedAt.set(key, this.clock.now());
      this.warnOnce(entity, failure.message);
      return undefined;
    }
  }

  private warnOnce(entity: SapEntity, reason: string): void {
    if (this.warned.has(entity.servicePath)) return;
    this.warned.add(entity.servicePath);
    this.logger.warn(
      `SAP service ${entity.service}: date and time values are sent as given, not converted to the OData V2 ` +
        `/Date(…)/ form, because its type information could not be used (${reason}). Writes with ISO dates may be ` +
        `rejected; check that the user may read ${entity.servicePath}/$metadata.`,
      { service: entity.service, servicePath: entity.servicePath, code: 'SAP_METADATA_UNAVAILABLE' },
    );
  }
}
