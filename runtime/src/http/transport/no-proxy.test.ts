import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseNoProxy } from './no-proxy';

interface NoProxyCase {
  readonly noProxy: string;
  readonly url: string;
  readonly bypass: boolean;
}

const cases = JSON.parse(
  readFileSync(join(__dirname, '__fixtures__', 'no-proxy-cases.json'), 'utf8'),
) as readonly NoProxyCase[];

describe('parseNoProxy', () => {
  test.each(cases.map((c) => [c.noProxy, c.url, c.bypass] as const))(
    'NO_PROXY=%j, %s → bypass %s',
    (value, url, bypass) => {
      expect(parseNoProxy(value).bypasses(new URL(url))).toBe(bypass);
    },
  );

  it('accepts a list and keeps the entries, lower-cased, for diagnostics', () => {
    expect(parseNoProxy(['A.example, b.example', ' ', 'c.example']).entries).toEqual([
      'a.example',
      'b.example',
      'c.example',
    ]);
  });
});
