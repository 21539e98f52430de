/**
 * Dot paths into JSON ("data.results", "error.message"): how a REST target's configuration says where a
 * response keeps its results and where a request body keeps its records. The empty path is the value itself.
 * No wildcards or indexes: targets that need more need their own connector.
 */
export function getPath(value: unknown, path: string): unknown {
  if (path === '') return value;
  let current: unknown = value;
  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** A fresh object holding `value` at `path` (`wrapAt('jobs', [...])` → `{ jobs: [...] }`); '' gives the value. */
export function wrapAt(path: string, value: unknown): unknown {
  if (path === '') return value;
  return path.split('.').reduceRight<unknown>((inner, segment) => ({ [segment]: inner }), value);
}
