import { TaktError, type ErrorCode } from '../../errors';
import { mayHaveReachedServer } from './may-have-reached-server';

describe('mayHaveReachedServer', () => {
  test.each<[ErrorCode, boolean, boolean]>([
    ['CONNECTION_RESET', true, true],
    ['HTTP_SERVER_ERROR', true, true],
    // The transport's flag wins over the code: a refused connection through a proxy that had already
    // forwarded the request, or a reset before the first request byte was written.
    ['CONNECTION_REFUSED', true, true],
    ['CONNECTION_RESET', false, false],
    ['HTTP_RATE_LIMITED', false, false],
  ])('%s flagged %p → %p', (code, flag, expected) => {
    const error = new TaktError(code, 'x', { details: { requestMayHaveReachedServer: flag } });
    expect(mayHaveReachedServer(error)).toBe(expected);
  });

  test.each<[ErrorCode, boolean]>([
    ['DNS_NOT_FOUND', false],
    ['DNS_TEMPORARY', false],
    ['CONNECTION_REFUSED', false],
    ['NETWORK_UNREACHABLE', false],
    ['CONNECT_TIMEOUT', false],
    ['HTTP_RATE_LIMITED', false],
    ['CONNECTION_RESET', true],
    ['HEADERS_TIMEOUT', true],
    ['BODY_TIMEOUT', true],
    ['HTTP_UNAVAILABLE', true],
    ['HTTP_SERVER_ERROR', true],
    ['PROXY_FAILED', true],
  ])('without a flag, %s → %p', (code, expected) => {
    expect(mayHaveReachedServer(new TaktError(code, 'x'))).toBe(expected);
  });

  test('a flag that is not a boolean is ignored', () => {
    const error = new TaktError('CONNECTION_RESET', 'x', { details: { requestMayHaveReachedServer: 'no' } });
    expect(mayHaveReachedServer(error)).toBe(true);
  });

  test.each([new Error('socket hang up'), 'boom', undefined])('a non-TaktError (%p) may have reached', (error) => {
    expect(mayHaveReachedServer(error)).toBe(true);
  });
});
