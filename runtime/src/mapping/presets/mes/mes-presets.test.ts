import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileMapping } from '../../compile';
import type { MapRecordResult } from '../../types';
import { fromPreset, getPreset, listPresets, type PresetOverrides } from '../registry';
import { SAP_MES_PRESETS } from './index';
import { listTargetShapes, targetShapeValidator } from './wire-shapes';

/**
 * A case file: SAP records in (as the OData V2 API or the runtime's SAP connector hands them over), the MES
 * sync API records out, or the issues that fail a record. Each record is mapped through its preset with the
 * target shape's check, as the Map node runs it.
 */
interface PresetCase {
  readonly description: string;
  readonly preset: string;
  readonly overrides?: PresetOverrides;
  readonly input: readonly unknown[];
  readonly expected: readonly (
    | { readonly output: Record<string, unknown> }
    | { readonly issues: readonly { readonly code: string; readonly path: string }[] }
  )[];
}

const FIXTURES = join(__dirname, '__fixtures__');
const CASES = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.json'))
  .sort();

function load(name: string): PresetCase {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as PresetCase;
}

async function run(testCase: PresetCase): Promise<MapRecordResult[]> {
  const spec = fromPreset(testCase.preset, testCase.overrides ?? {});
  const validate = targetShapeValidator(spec.canonical);
  if (!validate) throw new Error(`${spec.canonical} is not a target shape`);
  return compileMapping(spec, { direction: 'inbound', validate }).mapAll(testCase.input);
}

function summary(result: MapRecordResult): unknown {
  return result.ok ? { output: result.output } : { issues: result.issues.map(({ code, path }) => ({ code, path })) };
}

describe('SAP → MES sync API presets, case files', () => {
  it('has the case files', () => {
    expect(CASES).toEqual([
      'cells.json',
      'jobs-from-orders.json',
      'jobs-with-expanded-operations.json',
      'operations.json',
      'refused-operations.json',
      'refused-orders.json',
    ]);
  });

  it.each(CASES)('%s', async (name) => {
    const testCase = load(name);
    expect(testCase.expected).toHaveLength(testCase.input.length);
    const results = await run(testCase);
    expect(results.map(summary)).toEqual(testCase.expected);
  });

  it('every refused record fails with a message naming the field', async () => {
    const results = await run(load('refused-orders.json'));
    const messages = results.flatMap((result) => (result.ok ? [] : result.issues.map((issue) => issue.message)));
    expect(messages).toEqual([
      'quantity must be at least 1',
      'part_number is required',
      'cell_name is required',
      expect.stringContaining('required'),
      expect.stringContaining('required'),
      expect.stringContaining('soon'),
    ]);
  });
});

describe('SAP → MES sync API presets', () => {
  it('nests an expanded operation exactly as the operations preset maps it on its own', async () => {
    const [order] = await run(load('jobs-with-expanded-operations.json'));
    const flat = await run(load('operations.json'));
    if (!order?.ok) throw new Error('the order did not map');
    const parts = order.output['parts'] as { operations: unknown[] }[];
    const alone = flat.map((result) => {
      if (!result.ok) throw new Error('an operation did not map');
      const { part_external_id: part, external_source: source, ...rest } = result.output;
      expect([part, source]).toEqual([order.output['external_id'], 'sap-prd-100']);
      return rest;
    });
    expect(parts[0]?.operations).toEqual(alone);
  });

  it('are registered with their target, inbound only, under source id + target shape', () => {
    expect(SAP_MES_PRESETS.map((preset) => preset.id)).toEqual([
      'sap/API_WORK_CENTERS/A_WorkCenters/mes-sync/cells',
      'sap/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrder_2/mes-sync/jobs',
      'sap/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrderOperation_2/mes-sync/operations',
    ]);
    for (const preset of SAP_MES_PRESETS) {
      expect(getPreset(preset.id)).toBe(preset);
      expect(preset.target).toBeDefined();
      expect(preset.id).toBe(`${preset.system}/${preset.service}/${preset.entitySet}/${preset.mapping.canonical}`);
      expect(preset.mapping.canonical).toBe(`mes-sync/${preset.target?.entity ?? ''}`);
      expect(listTargetShapes()).toContain(preset.mapping.canonical);
      expect(preset.directions).toEqual(['inbound']);
      expect(listPresets('sap')).toContain(preset);
    }
  });

  it('writes the default source "sap" unless the connection names its own, which replaces it', () => {
    const id = 'sap/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrder_2/mes-sync/jobs';
    const sources = (overrides: PresetOverrides) =>
      (fromPreset(id, overrides).fields ?? []).filter((field) => field.canonical === 'external_source');
    expect(sources({})).toEqual([expect.objectContaining({ constant: 'sap' })]);
    expect(sources({ source: 'sap-qas-200' })).toEqual([expect.objectContaining({ constant: 'sap-qas-200' })]);
    const own = { canonical: 'external_source', expression: "'sap-' & ProductionPlant", type: 'STRING' } as const;
    expect(sources({ source: 'ignored', fields: [own] })).toEqual([own]);
  });
});
