import type { Connector, WriteMode } from '../connectors';
import { DelegatingConnector } from './delegating-connector';

/** Writes each entity in the mode its node routed (upsert when no running node names it). */
export class RoutedTarget extends DelegatingConnector {
  constructor(
    inner: Connector,
    private readonly routes: ReadonlyMap<string, WriteMode>,
  ) {
    super(inner);
  }

  override write(...[entity, records, options]: Parameters<Connector['write']>): ReturnType<Connector['write']> {
    return this.inner.write(entity, records, { ...options, mode: this.routes.get(entity) ?? options.mode });
  }

  /** The connector belongs to whoever passed it in (a pool): not closed here. */
  override close(): Promise<void> {
    return Promise.resolve();
  }
}
