/**
 * Reading a node's settings the same way in both hosts: an n8n parameter and a Node-RED editor field arrive as
 * text (or, from an expression or a message, as a number or an array), and a field such as Key Fields holds a
 * comma-separated list.
 */

/** Trimmed text; a number as its decimal text; anything else is empty. */
export function fieldText(value: unknown): string {
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

/** "a, b ,c" → ["a", "b", "c"], empty entries dropped; an array is taken entry by entry. */
export function commaList(value: unknown): string[] {
  const parts = Array.isArray(value) ? value.map(fieldText) : fieldText(value).split(',');
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}
