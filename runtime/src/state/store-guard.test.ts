import { assertStoreFitsHost } from './store-guard';

describe('assertStoreFitsHost', () => {
  it('refuses SQLite and memory stores in n8n queue mode, naming PostgreSQL', () => {
    for (const kind of ['sqlite', 'memory'] as const) {
      expect(() => assertStoreFitsHost(kind, { EXECUTIONS_MODE: 'queue' })).toThrow(
        expect.objectContaining({ code: 'STORE_UNSUPPORTED', message: expect.stringContaining('PostgreSQL') }),
      );
    }
  });

  it('accepts PostgreSQL in queue mode and SQLite in regular mode', () => {
    expect(() => assertStoreFitsHost('postgres', { EXECUTIONS_MODE: 'queue' })).not.toThrow();
    expect(() => assertStoreFitsHost('sqlite', { EXECUTIONS_MODE: 'regular' })).not.toThrow();
    expect(() => assertStoreFitsHost('sqlite', {})).not.toThrow();
  });
});
