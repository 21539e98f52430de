import type { MapContext, MappingDirection, MappingIssue, ReferenceSpec } from './types';

/**
 * Looks a REFERENCE up in the id map through the context: inbound external id → target id, outbound target
 * id → external id. Unresolved (no resolver, no source, or no entry yet) is this record's problem,
 * MAPPING_REFERENCE_UNRESOLVED, typically retried once the referred record has synced. A resolver that throws
 * (the store is down) is not the record's problem: the error propagates so the sync stops instead of
 * failing every record (fail closed).
 */
export async function resolveReference(
  id: string,
  reference: ReferenceSpec,
  direction: MappingDirection,
  ctx: MapContext,
  issuePath: string,
  at: string,
): Promise<{ readonly id: string } | { readonly issue: MappingIssue }> {
  const unresolved = (why: string): { issue: MappingIssue } => ({
    issue: {
      code: 'MAPPING_REFERENCE_UNRESOLVED',
      path: issuePath,
      message: `${at}: ${reference.entity} ${JSON.stringify(id)} ${why}`,
    },
  });
  const source = reference.source ?? ctx.source;
  if (source === undefined || source === '') {
    return unresolved('cannot be looked up: no source (set reference.source or the context source)');
  }
  const resolver = direction === 'inbound' ? ctx.resolveReference : ctx.resolveExternalId;
  if (!resolver) {
    const name = direction === 'inbound' ? 'resolveReference' : 'resolveExternalId';
    return unresolved(`cannot be looked up: the context has no ${name}`);
  }
  const found = await resolver(reference.entity, source, id);
  if (found === undefined || found === '') {
    return unresolved(direction === 'inbound' ? `from ${source} is not synced yet` : `has no external id in ${source}`);
  }
  return { id: found };
}
