import type { Connector, EntityDescriptor, Page, ReadOptions } from '../../../connectors';

export const SCRIPTED_ENTITY: EntityDescriptor = {
  name: 'orders',
  title: 'orders',
  keyFields: ['id'],
  deltaField: 'updatedAt',
  deltaFieldType: 'datetimeoffset',
  capabilities: { read: true, create: false, update: false, delete: false, upsert: false, batch: false },
};

/**
 * A source whose pages a test writes by hand, for what a well-behaved store cannot show: a record twice in one
 * page, pages that overlap, delta values out of order within a page. `reads` keeps every call's options.
 */
export class ScriptedSource implements Connector {
  readonly kind = 'scripted';
  readonly reads: ReadOptions[] = [];

  constructor(private readonly script: (options: ReadOptions, call: number) => readonly Page[]) {}

  test(): Promise<{ ok: boolean; latencyMs: number; message: string }> {
    return Promise.resolve({ ok: true, latencyMs: 0, message: 'ok' });
  }

  entities(): readonly EntityDescriptor[] {
    return [SCRIPTED_ENTITY];
  }

  async *read(_entity: string, options: ReadOptions = {}): AsyncIterable<Page> {
    this.reads.push(options);
    for (const page of this.script(options, this.reads.length)) yield page;
  }

  write(): Promise<never> {
    return Promise.reject(new Error('the scripted source is read-only'));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
