export * from './content-hash';
export * from './upsert';
