import type { DataSetName } from './data/sap-data';
import type { ODataVersion } from './filter/filter-ast';

/** An entity set as one service exposes a data set: V2 and V4 services may name the same data differently. */
export interface ExposedSet {
  readonly name: string;
  readonly typeName: string;
  readonly dataSet: DataSetName;
}

export interface ServiceDef {
  readonly version: ODataVersion;
  /** The technical service name (V2) or service definition (V4), used in messages and innererror. */
  readonly name: string;
  /** Schema namespace in $metadata and in V2 __metadata.type. */
  readonly namespace: string;
  /** Path of the service root below the server, without a trailing slash. */
  readonly root: string;
  readonly sets: readonly ExposedSet[];
}

export const V2_ROOT = '/sap/opu/odata/sap';
export const V4_ROOT = '/sap/opu/odata4/sap';

const v2 = (name: string, namespace: string, sets: readonly ExposedSet[]): ServiceDef => ({
  version: 'v2',
  name,
  namespace,
  root: `${V2_ROOT}/${name}`,
  sets,
});

/**
 * The simulated services. V2 roots and entity sets follow reference A.1 and A.11. V4: the work center root is
 * the documented one (A.11, API_WORK_CENTER binding with WorkCenterHeader); the production order V4 root is
 * the simulator's own choice in the same RAP pattern (binding/srvd_a2x/sap/definition/version), exposing the
 * V2 entity names so the V4 examples of A.5 and A.9 work unchanged.
 */
export const SAP_SERVICES: readonly ServiceDef[] = [
  v2('API_PRODUCTION_ORDER_2_SRV', 'API_PRODUCTION_ORDER_2_SRV', [
    { name: 'A_ProductionOrder_2', typeName: 'A_ProductionOrder_2Type', dataSet: 'ProductionOrders' },
    {
      name: 'A_ProductionOrderOperation_2',
      typeName: 'A_ProductionOrderOperation_2Type',
      dataSet: 'ProductionOrderOperations',
    },
  ]),
  v2('API_PROD_ORDER_CONFIRMATION_2_SRV', 'API_PROD_ORDER_CONFIRMATION_2_SRV', [
    { name: 'ProdnOrdConf2', typeName: 'ProdnOrdConf2Type', dataSet: 'Confirmations' },
  ]),
  v2('API_EQUIPMENT', 'cds_api_equipment', [{ name: 'Equipment', typeName: 'EquipmentType', dataSet: 'Equipment' }]),
  v2('API_WORK_CENTERS', 'API_WORK_CENTERS', [
    { name: 'A_WorkCenters', typeName: 'A_WorkCentersType', dataSet: 'WorkCenters' },
  ]),
  v2('API_MAINTNOTIFICATION', 'cds_api_maintnotification', [
    { name: 'MaintenanceNotification', typeName: 'MaintenanceNotificationType', dataSet: 'MaintenanceNotifications' },
  ]),
  {
    version: 'v4',
    name: 'productionorder',
    namespace: 'com.sap.gateway.srvd_a2x.api_production_order_2.v0001',
    root: `${V4_ROOT}/api_production_order_2/srvd_a2x/sap/productionorder/0001`,
    sets: [
      { name: 'A_ProductionOrder_2', typeName: 'A_ProductionOrder_2Type', dataSet: 'ProductionOrders' },
      {
        name: 'A_ProductionOrderOperation_2',
        typeName: 'A_ProductionOrderOperation_2Type',
        dataSet: 'ProductionOrderOperations',
      },
    ],
  },
  {
    version: 'v4',
    name: 'workcenter',
    namespace: 'com.sap.gateway.srvd_a2x.api_work_center.v0001',
    root: `${V4_ROOT}/api_work_center/srvd_a2x/sap/workcenter/0001`,
    sets: [{ name: 'WorkCenterHeader', typeName: 'WorkCenterHeaderType', dataSet: 'WorkCenters' }],
  },
];

/** The service whose root the path starts with; V2 roots may carry a ;v=0001 version suffix (A.1). */
export function findService(path: string): { service: ServiceDef; rest: string } | undefined {
  for (const service of SAP_SERVICES) {
    if (!path.startsWith(service.root)) continue;
    let rest = path.slice(service.root.length);
    if (service.version === 'v2') {
      const version = /^;v=0*1(?=\/|$)/.exec(rest);
      if (version) rest = rest.slice(version[0].length);
    }
    if (rest === '' || rest.startsWith('/')) return { service, rest };
  }
  return undefined;
}
