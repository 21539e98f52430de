import type { Connector } from '../connectors';

/**
 * A connector that hands every call to `inner`: the base of the wrappers that change one part of a connection
 * (how writes are routed or made idempotent) and leave the rest — test, entities, reads, close — as they are.
 */
export class DelegatingConnector implements Connector {
  readonly kind: string;

  constructor(protected readonly inner: Connector) {
    this.kind = inner.kind;
  }

  test(options?: { readonly signal?: AbortSignal }): ReturnType<Connector['test']> {
    return this.inner.test(options);
  }

  entities(): ReturnType<Connector['entities']> {
    return this.inner.entities();
  }

  read(entity: string, options?: Parameters<Connector['read']>[1]): ReturnType<Connector['read']> {
    return this.inner.read(entity, options);
  }

  write(...[entity, records, options]: Parameters<Connector['write']>): ReturnType<Connector['write']> {
    return this.inner.write(entity, records, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
