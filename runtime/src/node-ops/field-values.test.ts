import { commaList, fieldText } from './field-values';

describe('field values', () => {
  it('reads text trimmed, numbers as text, anything else as empty', () => {
    expect(fieldText('  sap ')).toBe('sap');
    expect(fieldText(12)).toBe('12');
    expect(fieldText(undefined)).toBe('');
    expect(fieldText({ a: 1 })).toBe('');
  });

  it('splits a comma list, dropping empty entries, and takes arrays entry by entry', () => {
    expect(commaList('external_id, external_source ,,')).toEqual(['external_id', 'external_source']);
    expect(commaList('')).toEqual([]);
    expect(commaList([' a', 2, '', 'b '])).toEqual(['a', '2', 'b']);
    expect(commaList(undefined)).toEqual([]);
  });
});
