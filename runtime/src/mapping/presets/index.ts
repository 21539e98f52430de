export * from './registry';
export * from './sap';
export * from './mes';
export type * from './types';
