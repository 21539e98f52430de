export * from './errors';
export * from './log';
export * from './time';
