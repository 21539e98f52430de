import { RESOURCE_STATUSES, RESOURCE_TYPES, type MesEntity } from './entities';
import type { Prng } from './prng';
import type { MesStore } from './store';
import { validateRecord } from './validate';

/** Work centers every seeded factory has; operations in seeded jobs and in examples name them. */
export const SEEDED_CELLS = ['Cutting', 'Bending', 'Welding', 'Machining', 'Assembly', 'Inspection'] as const;

/** Source of the records the MES holds before any sync: planned there by hand, not synced from an ERP. */
export const SEEDED_SOURCE = 'MES';

const MATERIALS = ['Steel 304', 'Steel S235', 'Aluminium 6061', 'Brass', 'ABS'];
const CUSTOMERS = ['Acme Corp', 'Globex', 'Initech', 'Umbrella GmbH', 'Stark Industries'];
const OPERATIONS = ['Laser Cut', 'Bend 90°', 'MIG Weld', 'Mill', 'Deburr', 'Assemble', 'Final Check'];

/**
 * A factory's worth of MES data from the seed: the standard cells, a few resources, and `size` jobs with one to
 * three parts of one to four operations each. Applied through the same validation as synced records, but
 * without effect entries, so effect counts measure only what syncs did. `size` 0 leaves the MES empty.
 */
export function seedMesData(store: MesStore, random: Prng, size: number): void {
  if (size <= 0) return;
  const put = (entity: MesEntity, record: Record<string, unknown>): void => {
    const checked = validateRecord(entity, { external_source: SEEDED_SOURCE, ...record });
    if (!checked.ok) throw new Error(`seeded ${entity} record is invalid: ${checked.message}`);
    const applied = store.apply(checked.record, { log: false });
    if (!applied.ok) throw new Error(`seeded ${entity} record was refused: ${applied.message}`);
  };

  SEEDED_CELLS.forEach((name, index) => {
    put('cells', { external_id: `WC-${name.toUpperCase()}`, name, sequence: index + 1, active: true });
  });
  for (let i = 1; i <= Math.max(1, Math.ceil(size / 10)); i += 1) {
    put('resources', {
      external_id: `RES-${String(i).padStart(3, '0')}`,
      name: `Resource ${i}`,
      type: random.pick(RESOURCE_TYPES),
      status: random.pick(RESOURCE_STATUSES),
    });
  }
  for (let j = 1; j <= size; j += 1) {
    const jobId = `JOB-${String(j).padStart(5, '0')}`;
    const parts = Array.from({ length: random.int(1, 3) }, (_, p) => {
      const partId = `${jobId}-${(p + 1) * 10}`;
      return {
        external_id: partId,
        part_number: `P-${random.int(1000, 9999)}`,
        material: random.pick(MATERIALS),
        quantity: random.int(1, 200),
        operations: Array.from({ length: random.int(1, 4) }, (_, o) => ({
          external_id: `${partId}-${String((o + 1) * 10).padStart(3, '0')}`,
          operation_name: random.pick(OPERATIONS),
          cell_name: random.pick(SEEDED_CELLS),
          sequence: o + 1,
          estimated_time_minutes: random.int(5, 120),
        })),
      };
    });
    put('jobs', {
      external_id: jobId,
      job_number: jobId,
      customer: random.pick(CUSTOMERS),
      due_date: `2025-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`,
      priority: random.int(1, 9),
      parts,
    });
  }
}
