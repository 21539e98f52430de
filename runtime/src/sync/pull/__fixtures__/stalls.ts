import type {
  Connector,
  EntityDescriptor,
  Page,
  ReadOptions,
  WriteItem,
  WriteOptions,
  WriteResult,
} from '../../../connectors';
import type { StateStore } from '../../../state/types';

/** A point a worker stops at until the test opens it: `reached` resolves when the worker arrives. */
export interface Gate {
  readonly reached: Promise<void>;
  pass(): Promise<void>;
  open(): void;
}

export function gate(): Gate {
  let open = (): void => undefined;
  let arrive = (): void => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const reached = new Promise<void>((resolve) => (arrive = resolve));
  return {
    reached,
    pass: () => {
      arrive();
      return opened;
    },
    open: () => open(),
  };
}

/** A connector whose reads stall after their last page (the worker has read everything, not yet committed). */
export class StallingConnector implements Connector {
  readonly kind = 'stalling';

  constructor(
    private readonly inner: Connector,
    private readonly stall: Gate,
  ) {}

  test(): ReturnType<Connector['test']> {
    return this.inner.test();
  }

  entities(): readonly EntityDescriptor[] {
    return this.inner.entities();
  }

  async *read(entity: string, options?: ReadOptions): AsyncIterable<Page> {
    yield* this.inner.read(entity, options);
    await this.stall.pass();
  }

  write(entity: string, records: readonly WriteItem[], options: WriteOptions): Promise<WriteResult[]> {
    return this.inner.write(entity, records, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** The same store, except that `createDelivery` stalls at the gate before it reaches the store. */
export function stallCreateDelivery(store: StateStore, stall: Gate): StateStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'createDelivery') {
        return async (...args: Parameters<StateStore['createDelivery']>) => {
          await stall.pass();
          return target.createDelivery(...args);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
