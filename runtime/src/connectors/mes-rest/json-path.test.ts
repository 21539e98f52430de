import { getPath, wrapAt } from './json-path';

describe('json paths', () => {
  test('getPath walks objects and stops at anything else', () => {
    const body = { data: { results: [1, 2], n: 0 } };
    expect(getPath(body, 'data.results')).toEqual([1, 2]);
    expect(getPath(body, 'data.n')).toBe(0);
    expect(getPath(body, '')).toBe(body);
    expect(getPath(body, 'data.results.length')).toBeUndefined();
    expect(getPath(null, 'data')).toBeUndefined();
  });

  test('wrapAt builds the request body', () => {
    expect(wrapAt('jobs', [1])).toEqual({ jobs: [1] });
    expect(wrapAt('payload.items', [])).toEqual({ payload: { items: [] } });
    expect(wrapAt('', [1])).toEqual([1]);
  });
});
