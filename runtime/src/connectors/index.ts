export * from './types';
export * from './mes-rest';
