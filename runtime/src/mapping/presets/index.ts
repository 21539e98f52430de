export * from './registry';
export * from './sap';
export type * from './types';
