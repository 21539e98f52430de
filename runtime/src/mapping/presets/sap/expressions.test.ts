import jsonata from 'jsonata';
import { sapDateAndTime, sapDayOf, sapFlag, sapKey, sapTimeOf } from './expressions';

const run = async (expression: string, input: unknown): Promise<unknown> => jsonata(expression).evaluate(input);

describe('SAP JSONata helpers', () => {
  it('reads ABAP flags and CDS booleans alike', async () => {
    for (const [value, expected] of [
      ['X', true],
      ['', false],
      [true, true],
      [false, false],
      [undefined, false],
    ] as const) {
      expect(await run(sapFlag('OrderIsClosed'), { OrderIsClosed: value })).toBe(expected);
    }
  });

  it('drops leading zeros from numeric keys only', async () => {
    expect(await run(sapKey('K'), { K: '000000000210100094' })).toBe('210100094');
    expect(await run(sapKey('K'), { K: '1000000' })).toBe('1000000');
    expect(await run(sapKey('K'), { K: '0000' })).toBe('0');
    expect(await run(sapKey('K'), { K: '0010-CWS-01' })).toBe('0010-CWS-01');
    expect(await run(sapKey('K'), { K: 10000188 })).toBe(10000188);
    expect(await run(sapKey('K'), {})).toBeUndefined();
  });

  it('joins a V2 date and an Edm.Time into a 14-character stamp', async () => {
    const expression = sapDateAndTime('D', 'T');
    expect(await run(expression, { D: '/Date(1473897600000)/', T: 'PT08H45M30S' })).toBe('20160915084530');
    expect(await run(expression, { D: '/Date(1473897600000+0000)/', T: 'PT23H59M59S' })).toBe('20160915235959');
    expect(await run(expression, { D: '/Date(1473897600000)/' })).toBe('20160915000000');
    expect(await run(expression, { D: '', T: 'PT00H00M00S' })).toBeUndefined();
    expect(await run(expression, { T: 'PT08H00M00S' })).toBeUndefined();
  });

  it('splits an instant into a UTC day and an Edm.Time', async () => {
    const record = { start: '2024-05-01T21:30:05+02:00' };
    expect(await run(sapDayOf('start'), record)).toBe('2024-05-01');
    expect(await run(sapTimeOf('start'), record)).toBe('PT19H30M05S');
    expect(await run(sapDayOf('end'), record)).toBeUndefined();
    expect(await run(sapTimeOf('end'), record)).toBeUndefined();
  });
});
