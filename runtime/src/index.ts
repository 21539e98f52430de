export * from './connectors';
export * from './entities';
export * from './errors';
export * from './http';
export * from './log';
export * from './state';
export * from './time';
export * from './webhook';
