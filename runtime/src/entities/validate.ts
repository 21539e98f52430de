import type { z } from 'zod';
import type { MappingIssue } from '../mapping/types';
import { getCanonicalEntity } from './registry';

/** Checks one mapped record against an entity schema; an empty list means it is valid. */
export type EntityValidator = (record: unknown) => MappingIssue[];

/**
 * The entity's schema as a mapping validator: zod issues become RECORD_INVALID issues with dotted paths
 * ("extra.line.0"). Plugs into compileMapping's `validate` hook; resolves the schema once, up front, so an
 * unknown entity fails when the mapping is compiled rather than on the first record.
 */
export function validateEntity(name: string): EntityValidator {
  const { schema } = getCanonicalEntity(name);
  return (record) => {
    const result = schema.safeParse(record);
    return result.success ? [] : result.error.issues.flatMap(toMappingIssues);
  };
}

function toMappingIssues(issue: z.core.$ZodIssue): MappingIssue[] {
  const path = issue.path.map(String).join('.');
  // A strict object reports all unknown keys in one issue at the object; one issue per key says which field.
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      code: 'RECORD_INVALID',
      path: path ? `${path}.${key}` : key,
      message: `Unknown field "${key}": not part of the entity; put custom values under "extra"`,
    }));
  }
  return [{ code: 'RECORD_INVALID', path, message: issue.message }];
}
