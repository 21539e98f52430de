import { ENTITY_SPECS, MES_ENTITIES, type MesEntity } from './entities';
import type { Prng } from './prng';
import { nestMessage, type FieldValue, type ValidRecord } from './validate';

/** A record as the MES holds it. `parentId` links a part to its job and an operation to its part. */
export interface MesRecord {
  readonly id: string;
  readonly entity: MesEntity;
  readonly external_id: string;
  readonly external_source: string;
  readonly parentId?: string;
  readonly fields: Readonly<Record<string, FieldValue>>;
  /** Bumped only when the content changes, so a test can tell a real update from an identical re-sync. */
  readonly version: number;
}

/**
 * What one sync did to one record, in the order it happened. `unchanged` is an identical re-sync: the wire
 * answer says `updated` (the vendor knows only created and updated) but nothing changed.
 */
export interface MesEffect {
  readonly seq: number;
  readonly entity: MesEntity;
  readonly action: 'created' | 'updated' | 'unchanged';
  readonly id: string;
  readonly external_id: string;
  readonly external_source: string;
}

export interface EffectCounts {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
}

export type ApplyResult =
  | { readonly ok: true; readonly action: 'created' | 'updated'; readonly id: string }
  | { readonly ok: false; readonly message: string };

/** In-memory tables keyed by (external_source, external_id), the MES's upsert key. */
export class MesStore {
  private readonly tables = new Map<MesEntity, Map<string, MesRecord>>(MES_ENTITIES.map((e) => [e, new Map()]));
  private readonly log: MesEffect[] = [];

  constructor(private readonly ids: Prng) {}

  get(entity: MesEntity, externalId: string, externalSource: string): MesRecord | undefined {
    return this.table(entity).get(keyOf(externalSource, externalId));
  }

  list(entity: MesEntity): MesRecord[] {
    return [...this.table(entity).values()];
  }

  cellByName(name: string): MesRecord | undefined {
    return this.list('cells').find((cell) => cell.fields.name === name);
  }

  effects(): readonly MesEffect[] {
    return this.log;
  }

  counts(entity: MesEntity): EffectCounts {
    const counts = { created: 0, updated: 0, unchanged: 0 };
    for (const effect of this.log) if (effect.entity === entity) counts[effect.action] += 1;
    return counts;
  }

  /**
   * Upserts a validated record and its nested children, parent before children. Every reference is checked
   * before anything is written, so a record whose tree names a missing job, part or cell changes nothing.
   * `log: false` writes without an effect entry (seeded data is not something a sync did).
   */
  apply(record: ValidRecord, options: { readonly log?: boolean } = {}): ApplyResult {
    const problem = this.missingReference(record, true);
    if (problem) return { ok: false, message: problem };
    const id = this.write(record, undefined, options.log ?? true);
    return { ok: true, ...id };
  }

  private missingReference(record: ValidRecord, root: boolean): string | undefined {
    if (root && record.parentExternalId !== undefined) {
      if (record.entity === 'parts' && !this.get('jobs', record.parentExternalId, record.externalSource)) {
        return `Job not found for job_external_id: ${record.parentExternalId}`;
      }
      if (record.entity === 'operations' && !this.get('parts', record.parentExternalId, record.externalSource)) {
        return `Part not found for part_external_id: ${record.parentExternalId}`;
      }
    }
    if (record.entity === 'operations') {
      const cellName = String(record.fields.cell_name);
      if (!this.cellByName(cellName)) return `Cell not found for cell_name: ${cellName}`;
    }
    for (const [index, child] of record.children.entries()) {
      const childProblem = this.missingReference(child, false);
      if (childProblem) return nestMessage(childField(record.entity), index, childProblem);
    }
    return undefined;
  }

  private write(
    record: ValidRecord,
    parentId: string | undefined,
    log: boolean,
  ): { action: 'created' | 'updated'; id: string } {
    const table = this.table(record.entity);
    const key = keyOf(record.externalSource, record.externalId);
    const resolvedParent = parentId ?? this.parentIdOf(record);
    const existing = table.get(key);
    let action: MesEffect['action'];
    let id: string;
    if (!existing) {
      id = this.ids.uuid();
      action = 'created';
      table.set(key, this.build(record, id, resolvedParent, 1));
    } else {
      id = existing.id;
      const same = existing.parentId === resolvedParent && sameFields(existing.fields, record.fields);
      action = same ? 'unchanged' : 'updated';
      if (!same) table.set(key, this.build(record, id, resolvedParent, existing.version + 1));
    }
    if (log) {
      this.log.push({
        seq: this.log.length + 1,
        entity: record.entity,
        action,
        id,
        external_id: record.externalId,
        external_source: record.externalSource,
      });
    }
    for (const child of record.children) this.write(child, id, log);
    return { action: action === 'created' ? 'created' : 'updated', id };
  }

  private parentIdOf(record: ValidRecord): string | undefined {
    if (record.parentExternalId === undefined) return undefined;
    const parent = ENTITY_SPECS[record.entity].parent;
    return parent && this.get(parent.entity, record.parentExternalId, record.externalSource)?.id;
  }

  private build(record: ValidRecord, id: string, parentId: string | undefined, version: number): MesRecord {
    return {
      id,
      entity: record.entity,
      external_id: record.externalId,
      external_source: record.externalSource,
      ...(parentId === undefined ? {} : { parentId }),
      fields: { ...record.fields },
      version,
    };
  }

  private table(entity: MesEntity): Map<string, MesRecord> {
    const table = this.tables.get(entity);
    if (!table) throw new RangeError(`unknown MES entity ${entity}`);
    return table;
  }
}

function keyOf(source: string, externalId: string): string {
  return `${source}\u0000${externalId}`;
}

function childField(entity: MesEntity): string {
  return ENTITY_SPECS[entity].children?.field ?? 'children';
}

function sameFields(a: Readonly<Record<string, FieldValue>>, b: Readonly<Record<string, FieldValue>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
