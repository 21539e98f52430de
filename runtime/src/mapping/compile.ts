import { mapFields, type Mapped } from './field-mapper';
import { checkSpec } from './spec-check';
import { mapTransform } from './transform-mapper';
import type { MapContext, MappingDirection, MappingIssue, MappingSpec, MapRecordResult } from './types';

/**
 * Checks a mapped output against the canonical entity (the entity zod schema adapter plugs in here). Its
 * issues fail the record with code RECORD_INVALID, whatever code they carry.
 */
export type OutputValidator = (output: Record<string, unknown>) => readonly MappingIssue[];

export interface CompileOptions {
  readonly direction: MappingDirection;
  readonly validate?: OutputValidator;
}

export interface CompiledMapping {
  readonly name: string;
  readonly direction: MappingDirection;
  /** 'transform' when the spec has a whole-record transform for this direction. */
  readonly mode: 'fields' | 'transform';
  /**
   * Maps one record. Never rejects for anything in the record: bad data comes back as `ok: false` with one
   * issue per failing field. It rejects only when a reference resolver throws (the id map is unreachable).
   */
  map(record: unknown, index: number, ctx?: MapContext): Promise<MapRecordResult>;
  /** Maps records in order, each on its own: one bad record fails alone, under its index. */
  mapAll(records: readonly unknown[], ctx?: MapContext): Promise<MapRecordResult[]>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validated(mapped: Mapped, validate: OutputValidator | undefined): Mapped {
  if (!mapped.ok || !validate) return mapped;
  let found: readonly MappingIssue[];
  try {
    found = validate(mapped.output);
  } catch (error) {
    found = [{ code: 'RECORD_INVALID', path: '', message: error instanceof Error ? error.message : String(error) }];
  }
  if (found.length === 0) return mapped;
  return { ok: false, issues: found.map((issue) => ({ ...issue, code: 'RECORD_INVALID' })) };
}

/**
 * Compiles a mapping spec for one direction: checks the whole spec and compiles every JSONata expression
 * once, throwing MAPPING_INVALID / MAPPING_EXPRESSION_INVALID with every problem before any record is read.
 * Plain `erp` / `canonical` paths and constants then run without JSONata (the fast path).
 */
export function compileMapping(spec: MappingSpec, options: CompileOptions): CompiledMapping {
  const { direction, validate } = options;
  const checked = checkSpec(spec, direction);
  const { transform, plans, keyPaths } = checked;

  async function map(record: unknown, index: number, ctx: MapContext = {}): Promise<MapRecordResult> {
    if (!isRecord(record)) {
      const issue = { code: 'MAPPING_TYPE_INVALID', path: '', message: 'a record must be a JSON object' };
      return { index, ok: false, issues: [issue] };
    }
    const mapped = validated(
      transform
        ? await mapTransform(transform, keyPaths, direction, record)
        : await mapFields(plans, direction, record, ctx),
      validate,
    );
    return mapped.ok
      ? { index, ok: true, output: mapped.output, key: mapped.key }
      : { index, ok: false, issues: mapped.issues };
  }

  return {
    name: checked.name,
    direction,
    mode: transform ? 'transform' : 'fields',
    map,
    async mapAll(records, ctx = {}) {
      const results: MapRecordResult[] = [];
      for (let i = 0; i < records.length; i++) results.push(await map(records[i], i, ctx));
      return results;
    },
  };
}
