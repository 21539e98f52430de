import { isCanonicalEntity, validateEntity, type EntityValidator } from '../entities';
import { compileMapping } from './compile';
import { planSimulation } from './simulate-plan';
import type { SimulateOptions, SimulationResult, SimulationStore } from './simulate-types';
import type { MapContext, MapRecordResult, ReferenceResolver } from './types';

export type {
  DiffBasis,
  SimulatedAction,
  SimulatedRecord,
  SimulateOptions,
  SimulationResult,
  SimulationStore,
  SimulationSummary,
  SimulationTarget,
} from './simulate-types';
export { SIMULATED_ACTIONS } from './simulate-types';

/**
 * A dry run of a mapping: maps every record, validates it against its canonical entity, and predicts per
 * record what a sync would do (create, update with a field diff, unchanged, conflict, error) — writing
 * nothing anywhere. It reads the id map by external id and the target by key, nothing else; the option types
 * admit only those two reads. A bad spec throws (MAPPING_INVALID) before any record is read; bad records
 * come back one by one.
 *
 * The canonical side is validated in both directions: the output inbound, the input records outbound, so a
 * dry run fails the records the real sync would refuse. REFERENCE fields resolve inbound through the store,
 * read-only; outbound references need a reverse id-map lookup the store does not offer, so they come back
 * unresolved.
 */
export async function simulateMapping(options: SimulateOptions): Promise<SimulationResult> {
  const { mapping, direction, records } = options;
  const entity = options.entity ?? mapping.canonical;
  const validator = isCanonicalEntity(mapping.canonical) ? validateEntity(mapping.canonical) : undefined;
  const compiled = compileMapping(mapping, {
    direction,
    ...(direction === 'inbound' && validator ? { validate: validator } : {}),
  });
  const ctx: MapContext = {
    ...(options.source !== undefined ? { source: options.source } : {}),
    ...(options.store && options.connection
      ? { resolveReference: readOnlyResolver(options.store, options.connection) }
      : {}),
  };
  let results = await compiled.mapAll(records, ctx);
  if (direction === 'outbound' && validator) results = withInputIssues(results, records, validator);
  return planSimulation({
    records,
    results,
    direction,
    entity,
    ...(options.connection !== undefined ? { connection: options.connection } : {}),
    ...(options.source !== undefined ? { source: options.source } : {}),
    ...(options.store ? { store: options.store } : {}),
    ...(options.target ? { target: options.target } : {}),
    targetEntity: options.targetEntity ?? (direction === 'outbound' ? (mapping.erpEntity ?? entity) : entity),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

function readOnlyResolver(store: SimulationStore, connection: string): ReferenceResolver {
  return async (entity, source, externalId) =>
    (await store.getIdMappings({ connection, entity, source }, [externalId])).get(externalId)?.targetId;
}

/** Outbound: a canonical input record that breaks its entity schema fails, as the sync would refuse it. */
function withInputIssues(
  results: readonly MapRecordResult[],
  records: readonly unknown[],
  validator: EntityValidator,
): MapRecordResult[] {
  return results.map((result) => {
    const inputIssues = validator(records[result.index]);
    if (inputIssues.length === 0) return result;
    const issues = [...inputIssues, ...(result.ok ? [] : result.issues)];
    return { index: result.index, ok: false, issues };
  });
}
