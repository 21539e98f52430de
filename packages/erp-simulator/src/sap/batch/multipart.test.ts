import { boundaryOf, parseHttpMessage, parseMultipart, writeMultipart } from './multipart';

describe('multipart/mixed', () => {
  it('reads the boundary, quoted or not', () => {
    expect(boundaryOf('multipart/mixed; boundary=batch_1')).toBe('batch_1');
    expect(boundaryOf('multipart/mixed;boundary="batch 2"')).toBe('batch 2');
    expect(boundaryOf('application/json')).toBeUndefined();
  });

  it('parses CRLF bodies and tolerates bare LF', () => {
    for (const eol of ['\r\n', '\n']) {
      const body = [
        '--b',
        'Content-Type: application/http',
        '',
        'GET A_ProductionOrder_2?$top=1 HTTP/1.1',
        'Accept: application/json',
        '',
        '',
        '--b',
        'Content-Type: application/http',
        '',
        'POST A_ProductionOrder_2 HTTP/1.1',
        'Content-Type: application/json',
        '',
        '{"a":1}',
        '--b--',
        '',
      ].join(eol);
      const parts = parseMultipart(body, 'b');
      expect(parts).toHaveLength(2);
      const post = parseHttpMessage(parts[1]!.content);
      expect(post.startLine).toBe('POST A_ProductionOrder_2 HTTP/1.1');
      expect(post.headers.get('content-type')).toBe('application/json');
      expect(post.body).toBe('{"a":1}');
      expect(parseHttpMessage(parts[0]!.content).body).toBe('');
    }
  });

  it('refuses a body without the closing delimiter', () => {
    expect(() => parseMultipart('--b\r\nContent-Type: application/http\r\n\r\nGET x HTTP/1.1\r\n', 'b')).toThrow(
      /closing delimiter/,
    );
  });

  it('writes CRLF throughout, with nested changesets', () => {
    const part = { status: 204, statusText: 'No Content', headers: {}, body: '' };
    const text = writeMultipart('batch_x', [{ kind: 'changeset', boundary: 'cs_y', parts: [part] }]);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(text).toContain('--batch_x\r\nContent-Type: multipart/mixed; boundary=cs_y\r\n\r\n--cs_y\r\n');
    expect(text.endsWith('--cs_y--\r\n--batch_x--\r\n')).toBe(true);
  });
});
