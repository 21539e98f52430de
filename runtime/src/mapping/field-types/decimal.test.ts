import { decimalCodec, normalizeDecimal, readDecimal } from './decimal';

describe('normalizeDecimal', () => {
  it.each([
    ['12.500', '12.5'],
    ['+3.0', '3'],
    ['-0.000', '0'],
    ['000000000001000123', '1000123'],
    ['0.000000000000000001', '0.000000000000000001'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['1.5e-3', '0.0015'],
    ['1E+3', '1000'],
    ['-12345678901234567890.1234567890', '-12345678901234567890.123456789'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeDecimal(input)).toBe(expected);
  });

  it.each(['', '.', '-', '1,5', '1.2.3', 'e5', '1e', ' 1', '0x10', '1e401'])('refuses %j', (input) => {
    expect(normalizeDecimal(input)).toBeUndefined();
  });
});

describe('readDecimal', () => {
  it('takes a JSON number through its shortest string, never adding float noise', () => {
    expect(readDecimal(0.1)).toEqual({ ok: true, value: '0.1' });
    expect(readDecimal(0.1 + 0.2)).toEqual({ ok: true, value: '0.30000000000000004' });
    expect(readDecimal(-0)).toEqual({ ok: true, value: '0' });
    expect(readDecimal(1e-7)).toEqual({ ok: true, value: '0.0000001' });
  });

  it('refuses what is not a decimal', () => {
    expect(readDecimal(true)).toMatchObject({ ok: false, code: 'MAPPING_TYPE_INVALID' });
    expect(readDecimal(Number.NaN)).toMatchObject({ ok: false, code: 'MAPPING_TYPE_INVALID' });
  });
});

describe('decimalCodec outbound', () => {
  it('writes strings by default and numbers only when they read back the same', () => {
    expect(decimalCodec().toErp('12.5')).toEqual({ ok: true, value: '12.5' });
    expect(decimalCodec('number').toErp('12.5')).toEqual({ ok: true, value: 12.5 });
    expect(decimalCodec('number').toErp('0.000000000000000001')).toEqual({ ok: true, value: 1e-18 });
    expect(decimalCodec('number').toErp('9007199254740993')).toMatchObject({ ok: false, code: 'MAPPING_TYPE_INVALID' });
  });
});
