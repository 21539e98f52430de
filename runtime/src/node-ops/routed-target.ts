import type { Connector, WriteMode } from '../connectors';

/** Writes each entity in the mode its node routed (upsert when no running node names it). */
export class RoutedTarget implements Connector {
  readonly kind: string;

  constructor(
    private readonly inner: Connector,
    private readonly routes: ReadonlyMap<string, WriteMode>,
  ) {
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
    return this.inner.write(entity, records, { ...options, mode: this.routes.get(entity) ?? options.mode });
  }

  /** The connector belongs to whoever passed it in (a pool): not closed here. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
