import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { TaktError } from '../../errors';
import type { DeltaFieldType } from '../types';
import { deltaFilter } from './delta-literal';
import type { ODataVersion } from './odata-version';

interface Case {
  readonly since: string;
  readonly type: DeltaFieldType;
  readonly version: ODataVersion;
  readonly filter?: string;
  readonly error?: string;
}

const cases = JSON.parse(readFileSync(join(__dirname, '__fixtures__', 'delta-literals.json'), 'utf8')) as {
  readonly cases: readonly Case[];
};

describe('deltaFilter (reference A.7 literals, inclusive ge)', () => {
  it.each(cases.cases.map((c) => [`${c.version} ${c.type} ${c.since}`, c] as const))('%s', (_name, c) => {
    const run = (): string => deltaFilter('LastChangeDateTime', c.since, c.type, c.version);
    if (c.error !== undefined) {
      expect(run).toThrow(TaktError);
      try {
        run();
      } catch (error) {
        expect(TaktError.is(error) && error.code).toBe(c.error);
      }
      return;
    }
    expect(run()).toBe(c.filter);
  });

  it('refuses a property name that would inject into $filter', () => {
    expect(() => deltaFilter("X eq 'a' or Y", '2024-05-01', 'datetime', 'v2')).toThrow(/not a valid OData property/);
  });
});
