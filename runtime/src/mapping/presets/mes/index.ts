import type { MappingPreset } from '../types';
import { sapProductionOrderMesJobPreset } from './production-order-jobs';
import { sapProductionOrderOperationMesPreset } from './production-order-operations';
import { sapWorkCenterMesCellPreset } from './work-center-cells';

export { mesNestedOperation, mesOperationId, mesOperationName, mesOperationSequence } from './expressions';
export {
  MES_SYNC_TARGET,
  listTargetShapes,
  mesSyncShape,
  targetShapeEntity,
  targetShapeValidator,
  type MesSyncEntity,
  type ShapeValidator,
} from './wire-shapes';
export { sapProductionOrderMesJobPreset, sapProductionOrderOperationMesPreset, sapWorkCenterMesCellPreset };

/**
 * SAP → MES sync API presets, in the order a first load needs them: cells before the operations that name
 * them, jobs (with their parts) before the operations that link to the parts.
 */
export const SAP_MES_PRESETS: readonly MappingPreset[] = [
  sapWorkCenterMesCellPreset,
  sapProductionOrderMesJobPreset,
  sapProductionOrderOperationMesPreset,
];
