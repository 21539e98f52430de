import { createHash } from 'node:crypto';
import type { SimRecord } from '../model/edm';

/**
 * A weak ETag over the record's content (reference A.8): every change, even two in the same second, gives a
 * new tag, and a record that was never written has the same tag for the same seed.
 */
export function etagOf(record: SimRecord): string {
  const hash = createHash('sha1').update(JSON.stringify(record)).digest('base64url').slice(0, 16);
  return `W/"${hash}"`;
}
