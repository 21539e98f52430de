import type { NodeRedApi } from './node-red';

/**
 * A status or label text from the node's locale file (`RED._`), with the English text as the fallback for a
 * runtime that has no catalog for the key (i18next answers the key itself then: a node loaded without its
 * package, as the test helper does). `__name__` placeholders are filled in either way.
 */
export function translate(
  RED: NodeRedApi,
  key: string,
  english: string,
  values: Readonly<Record<string, string | number>> = {},
): string {
  const text = RED._(key, values);
  if (text !== key && text !== '') return text;
  return english.replace(/__(\w+)__/g, (_match, name: string) => String(values[name] ?? ''));
}
