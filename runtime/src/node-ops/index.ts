export * from './item-meta';
