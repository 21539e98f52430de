/**
 * The mapping conformance suite: every `cases/case*.json` is one named test. A case holds a spec, a direction,
 * an input record (or an array of records), an optional context, and either the expected result per record
 * (`output` + `key`, or `issues` as code + path) or the expected compile error (`code`, `path` of one of its
 * issues, and optionally JSONata's code, the position and the number of issues).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TaktError } from '../errors';
import { compileMapping } from './compile';
import type { MapContext, MappingDirection, MappingSpec, MapRecordResult } from './types';

interface ReferenceRow {
  readonly entity: string;
  readonly source: string;
  readonly externalId: string;
  readonly targetId: string;
}

type Expected =
  | { readonly output: Record<string, unknown>; readonly key: string }
  | { readonly issues: readonly { readonly code: string; readonly path: string }[] };

interface ConformanceCase {
  readonly description: string;
  readonly direction: MappingDirection;
  readonly mapping: MappingSpec;
  readonly input: unknown;
  readonly context?: { readonly source?: string; readonly references?: readonly ReferenceRow[] };
  readonly expected?: Expected | readonly Expected[];
  readonly error?: {
    readonly code: string;
    readonly path: string;
    readonly jsonataCode?: string;
    readonly position?: number;
    readonly issueCount?: number;
  };
}

const CASES_DIR = join(__dirname, 'cases');
const files = readdirSync(CASES_DIR)
  .filter((f) => /^case\d+\.json$/.test(f))
  .sort();

function contextOf(c: ConformanceCase): MapContext {
  const rows = c.context?.references ?? [];
  return {
    ...(c.context?.source === undefined ? {} : { source: c.context.source }),
    resolveReference: (entity, source, externalId) =>
      rows.find((r) => r.entity === entity && r.source === source && r.externalId === externalId)?.targetId,
    resolveExternalId: async (entity, source, targetId) =>
      rows.find((r) => r.entity === entity && r.source === source && r.targetId === targetId)?.externalId,
  };
}

function comparable(result: MapRecordResult): Expected {
  return result.ok
    ? { output: result.output, key: result.key }
    : { issues: result.issues.map(({ code, path }) => ({ code, path })) };
}

it('has at least 60 conformance cases', () => {
  expect(files.length).toBeGreaterThanOrEqual(60);
});

describe.each(files)('%s', (file) => {
  const c = JSON.parse(readFileSync(join(CASES_DIR, file), 'utf8')) as ConformanceCase;

  it(c.description, async () => {
    if (c.error) {
      let thrown: unknown;
      try {
        compileMapping(c.mapping, { direction: c.direction });
      } catch (error) {
        thrown = error;
      }
      expect(TaktError.is(thrown)).toBe(true);
      const error = thrown as TaktError;
      expect(error.code).toBe(c.error.code);
      const issues = error.details['issues'] as { path: string; jsonataCode?: string; position?: number }[];
      const issue = issues.find((i) => i.path === c.error?.path);
      expect(issue).toBeDefined();
      expect(error.message).toContain(c.error.path);
      if (c.error.jsonataCode !== undefined) expect(issue?.jsonataCode).toBe(c.error.jsonataCode);
      if (c.error.position !== undefined) expect(issue?.position).toBe(c.error.position);
      if (c.error.issueCount !== undefined) expect(issues).toHaveLength(c.error.issueCount);
      return;
    }
    const compiled = compileMapping(c.mapping, { direction: c.direction });
    const records = Array.isArray(c.expected) ? (c.input as unknown[]) : [c.input];
    const results = await compiled.mapAll(records, contextOf(c));
    expect(results.map((r) => r.index)).toEqual(records.map((_, i) => i));
    expect(results.map(comparable)).toEqual(Array.isArray(c.expected) ? c.expected : [c.expected]);
  });
});
