import { readV2Collection, readV2Entity, v2Etag } from './odata-v2-envelope';
import { readV4Collection, readV4Entity, v4Etag } from './odata-v4-envelope';
import type { ODataCollection, ODataRecord } from './odata-page';
import type { ODataVersion } from './odata-version';

/** The envelope of a version, picked once per entity. */
export function readCollection(version: ODataVersion, body: unknown): ODataCollection {
  return version === 'v2' ? readV2Collection(body) : readV4Collection(body);
}

export function readEntity(version: ODataVersion, body: unknown): ODataRecord {
  return version === 'v2' ? readV2Entity(body) : readV4Entity(body);
}

/** The ETag a record was read with, in either version's place for it; undefined when the entity has none. */
export function recordEtag(record: Readonly<ODataRecord>): string | undefined {
  return v2Etag(record) ?? v4Etag(record);
}
