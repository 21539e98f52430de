import type { SimRecord } from '../model/edm';
import { confirmations } from './confirmations';
import { DataStore } from './data-store';
import { equipment, FIRST_EQUIPMENT } from './equipment';
import { maintenanceNotifications } from './maintenance-notifications';
import { productionOrderOperations } from './production-order-operations';
import { FIRST_ORDER, productionOrders } from './production-orders';
import { workCenters } from './work-centers';

/** The data sets behind every simulated SAP service; V2 and V4 services expose the same stores. */
export type DataSetName =
  | 'ProductionOrders'
  | 'ProductionOrderOperations'
  | 'Confirmations'
  | 'Equipment'
  | 'WorkCenters'
  | 'MaintenanceNotifications';

export class SapData {
  readonly stores: ReadonlyMap<string, DataStore>;

  constructor(
    readonly seed: number,
    readonly size: number,
  ) {
    const stores = new Map<string, DataStore>();
    const add = (store: DataStore): void => {
      stores.set(store.def.name, store);
    };
    add(new DataStore(productionOrders(seed), size, FIRST_ORDER + size));
    add(new DataStore(productionOrderOperations(seed), size, 0));
    add(new DataStore(confirmations(seed), size, 0));
    add(new DataStore(equipment(seed, size), size, FIRST_EQUIPMENT + size));
    add(new DataStore(workCenters(seed), size, 0));
    // Notifications take numbers from their own range, after the generated ones.
    add(new DataStore(maintenanceNotifications(seed, size), size, 10_000_000 + size));
    this.stores = stores;
  }

  store(name: string): DataStore {
    const store = this.stores.get(name);
    if (!store) throw new Error(`Unknown data set ${name}`);
    return store;
  }

  get(name: DataSetName, key: SimRecord): SimRecord | undefined {
    return this.store(name).get(key);
  }

  counts(): Record<DataSetName, number> {
    const count = (name: DataSetName): number => this.store(name).count;
    return {
      ProductionOrders: count('ProductionOrders'),
      ProductionOrderOperations: count('ProductionOrderOperations'),
      Confirmations: count('Confirmations'),
      Equipment: count('Equipment'),
      WorkCenters: count('WorkCenters'),
      MaintenanceNotifications: count('MaintenanceNotifications'),
    };
  }
}
