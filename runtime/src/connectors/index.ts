export * from './types';
export * from './mes-rest';
export * from './sap';
