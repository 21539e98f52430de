export { MES_ENTITIES, MAX_BULK_RECORDS, RESOURCE_STATUSES, RESOURCE_TYPES, type MesEntity } from './entities';
export {
  MES_BASE_PATH,
  createMesService,
  type MesService,
  type MesServiceOptions,
  type MesTestHandles,
} from './mes-service';
export type { MesRateLimit } from './rate-limit';
export { SEEDED_CELLS, SEEDED_SOURCE } from './seed-data';
export type { EffectCounts, MesEffect, MesRecord } from './store';
