export * from './content-hash';
export * from './upsert';
export * from './pull';
