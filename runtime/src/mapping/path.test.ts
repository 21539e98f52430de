import { parsePath, readPath, writePath } from './path';

describe('parsePath', () => {
  it('accepts dot paths of names', () => {
    expect(parsePath('d.ManufacturingOrder')).toEqual(['d', 'ManufacturingOrder']);
    expect(parsePath('YY1_Shift_ORD')).toEqual(['YY1_Shift_ORD']);
  });

  it.each(['', 'a..b', 'items[0].x', 'a.0', '@odata.etag', 'a-b', '__proto__.x', 'a.constructor'])(
    'refuses %j',
    (text) => {
      expect(parsePath(text)).toBeUndefined();
    },
  );
});

describe('readPath', () => {
  it('reads own properties only', () => {
    expect(readPath({ a: { b: 'x' } }, ['a', 'b'])).toBe('x');
    expect(readPath({}, ['toString'])).toBeUndefined();
    expect(readPath({ a: 'text' }, ['a', 'length'])).toBeUndefined();
  });
});

describe('writePath', () => {
  it('creates the objects on the way and keeps siblings', () => {
    const out: Record<string, unknown> = {};
    writePath(out, ['quantity', 'good'], '5');
    writePath(out, ['quantity', 'scrap'], '1');
    writePath(out, ['unit'], 'PC');
    expect(out).toEqual({ quantity: { good: '5', scrap: '1' }, unit: 'PC' });
  });
});
