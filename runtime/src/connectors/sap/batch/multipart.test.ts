import { boundaryOf, parseMultipart, parsePart, renderMultipart } from './multipart';

describe('boundaryOf', () => {
  it.each([
    ['multipart/mixed; boundary=batch_1', 'batch_1'],
    ['multipart/mixed;boundary="batch_a b;c"', 'batch_a b;c'],
    ['Multipart/Mixed; charset=utf-8; BOUNDARY=changeset_9', 'changeset_9'],
    ['multipart/mixed; boundary="with \\"quote\\""', 'with "quote"'],
  ])('reads %s', (contentType, expected) => {
    expect(boundaryOf(contentType)).toBe(expected);
  });

  it.each([undefined, 'application/json', 'multipart/mixed', 'multipart/mixed; boundary=""'])(
    'has none for %s',
    (contentType) => {
      expect(boundaryOf(contentType)).toBeUndefined();
    },
  );
});

describe('parseMultipart', () => {
  const crlf = [
    'preamble',
    '--b',
    'X-A: 1',
    '',
    'one',
    '--b  ',
    'X-A: 2',
    'X-B: folded',
    ' on',
    '',
    'two',
    'lines',
    '--b--',
    'epilogue',
  ].join('\r\n');

  it('splits CRLF bodies, drops preamble and epilogue and the line break before a delimiter', () => {
    const parts = parseMultipart(crlf, 'b');
    expect(parts).toEqual([
      { headers: { 'x-a': '1' }, body: 'one' },
      { headers: { 'x-a': '2', 'x-b': 'folded on' }, body: 'two\r\nlines' },
    ]);
  });

  it('reads the same body with LF line endings', () => {
    expect(parseMultipart(crlf.replace(/\r\n/g, '\n'), 'b')).toEqual([
      { headers: { 'x-a': '1' }, body: 'one' },
      { headers: { 'x-a': '2', 'x-b': 'folded on' }, body: 'two\nlines' },
    ]);
  });

  it('does not mistake a longer boundary or a boundary inside a line for a delimiter', () => {
    const body = '--b\r\n\r\nx --b y\r\n--bb\r\n--b--';
    expect(parseMultipart(body, 'b')).toEqual([{ headers: {}, body: 'x --b y\r\n--bb' }]);
  });

  it('keeps the parts of a body cut before its closing delimiter', () => {
    expect(parseMultipart('--b\r\nX: 1\r\n\r\nfirst\r\n--b\r\nX: 2\r\n\r\nsec', 'b')).toEqual([
      { headers: { x: '1' }, body: 'first' },
      { headers: { x: '2' }, body: 'sec' },
    ]);
  });

  it('throws RESPONSE_INVALID when no delimiter is there', () => {
    expect(() => parseMultipart('{"error":{}}', 'b')).toThrow(/no part delimited by "--b"/);
  });

  it('round-trips what renderMultipart writes', () => {
    const body = renderMultipart('z', ['A: 1\r\n\r\nbody one', 'A: 2\r\n\r\n']);
    expect(body).toBe('--z\r\nA: 1\r\n\r\nbody one\r\n--z\r\nA: 2\r\n\r\n\r\n--z--\r\n');
    expect(parseMultipart(body, 'z')).toEqual([
      { headers: { a: '1' }, body: 'body one' },
      { headers: { a: '2' }, body: '' },
    ]);
  });

  it('reads a part that has no headers', () => {
    expect(parsePart('\r\nbody')).toEqual({ headers: {}, body: 'body' });
  });
});
