import { integerCodec, readInteger } from './integer';

describe('readInteger', () => {
  it.each([
    ['42', 42],
    ['007', 7],
    ['-0012', -12],
    ['+5', 5],
    ['-0', 0],
    ['9007199254740991', 9007199254740991],
    ['9007199254740993', '9007199254740993'],
    ['-000123456789012345678901', '-123456789012345678901'],
    [12, 12],
  ])('%j → %j', (input, expected) => {
    expect(readInteger(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['1.5', '1.0', '1e3', ' 7', '', '-', 1.5, 2 ** 60, true, null])('refuses %j', (input) => {
    expect(readInteger(input)).toMatchObject({ ok: false, code: 'MAPPING_TYPE_INVALID' });
  });
});

describe('integerCodec outbound', () => {
  it('writes numbers, strings on request, and never a number past 2^53', () => {
    expect(integerCodec().toErp(42)).toEqual({ ok: true, value: 42 });
    expect(integerCodec('string').toErp(42)).toEqual({ ok: true, value: '42' });
    expect(integerCodec('number').toErp('9007199254740993')).toEqual({ ok: true, value: '9007199254740993' });
  });
});
