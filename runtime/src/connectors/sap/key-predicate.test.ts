import { TaktError } from '../../errors';
import { keyLabel, keyPredicate } from './key-predicate';

describe('keyPredicate (reference A.7, A.11)', () => {
  it('writes a single string key in quotes', () => {
    expect(keyPredicate(['ManufacturingOrder'], { ManufacturingOrder: '1000000' }, {}, 'v2')).toBe("('1000000')");
  });

  it('doubles a quote inside a key and percent-encodes what would break the path', () => {
    expect(keyPredicate(['Name'], { Name: "O'Neil/A#1 x" }, {}, 'v2')).toBe("('O''Neil%2FA%231%20x')");
  });

  it('writes a composite key with names, and a V2 DateTime key as datetime literal (API_EQUIPMENT)', () => {
    expect(
      keyPredicate(
        ['Equipment', 'ValidityEndDate'],
        { Equipment: '10000000', ValidityEndDate: '9999-12-31T00:00:00.000Z' },
        { ValidityEndDate: 'datetime' },
        'v2',
      ),
    ).toBe("(Equipment='10000000',ValidityEndDate=datetime'9999-12-31T00%3A00%3A00')");
  });

  it('accepts a V2 /Date()/ value for a date key and writes V4 dates bare', () => {
    const key = { Equipment: '10000000', ValidityEndDate: '/Date(253402214400000)/' };
    const types = { ValidityEndDate: 'date' } as const;
    expect(keyPredicate(['Equipment', 'ValidityEndDate'], key, types, 'v4')).toBe(
      "(Equipment='10000000',ValidityEndDate=9999-12-31)",
    );
  });

  it('writes numbers and GUIDs per version', () => {
    const guid = '0123abcd-0000-4000-8000-0123456789ab';
    expect(keyPredicate(['Id'], { Id: guid }, { Id: 'guid' }, 'v2')).toBe(`(guid'${guid}')`);
    expect(keyPredicate(['Id'], { Id: guid }, { Id: 'guid' }, 'v4')).toBe(`(${guid})`);
    expect(keyPredicate(['Count'], { Count: 8 }, { Count: 'number' }, 'v2')).toBe('(8)');
  });

  it('fails with RECORD_INVALID naming the missing key field', () => {
    expect.assertions(2);
    try {
      keyPredicate(['ConfirmationGroup', 'ConfirmationCount'], { ConfirmationGroup: '1' }, {}, 'v2');
    } catch (error) {
      expect(TaktError.is(error) && error.code).toBe('RECORD_INVALID');
      expect(TaktError.is(error) && error.details.field).toBe('ConfirmationCount');
    }
  });

  it('labels keys as SAP prints them', () => {
    expect(keyLabel(['ManufacturingOrder'], { ManufacturingOrder: '1000000' }, {}, 'v2')).toBe('1000000');
    expect(
      keyLabel(
        ['Equipment', 'ValidityEndDate'],
        { Equipment: '10000000', ValidityEndDate: '9999-12-31T00:00:00Z' },
        { ValidityEndDate: 'datetime' },
        'v2',
      ),
    ).toBe("Equipment='10000000',ValidityEndDate=datetime'9999-12-31T00:00:00'");
  });
});
