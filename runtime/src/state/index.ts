export * from './types';
export { MemoryStateStore } from './memory/memory-state-store';
export { SqliteStateStore, type SqliteSettings, type SqliteStoreOptions } from './sqlite/sqlite-state-store';
export { loadSqliteBinding, type SqliteBindingName } from './sqlite/sqlite-binding';
export { PostgresStateStore, type PostgresStoreOptions } from './postgres/postgres-state-store';
export { SCHEMA_VERSION } from './sql/schema';
export { assertStoreFitsHost } from './store-guard';
