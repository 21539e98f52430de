export * from './retry';
export * from './transport';
export { HttpConnection, type HttpConnectionOptions, type SendOptions } from './http-connection';
