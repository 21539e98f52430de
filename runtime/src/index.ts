export * from './errors';
export * from './log';
export * from './state';
export * from './time';
