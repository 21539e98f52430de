import type { RunningSimulator, SimRecord } from '@takt/erp-simulator';

/**
 * The maintenance notifications a flow created at the simulator (the generated ones are not in the overlay
 * until written), oldest first: the simulator numbers creates in arrival order.
 */
export function createdNotifications(sim: RunningSimulator, generated: number): SimRecord[] {
  const store = sim.sap?.data.store('MaintenanceNotifications');
  if (!store) throw new Error('the simulator runs without SAP');
  return [...store.overlayRecords()]
    .filter((record) => Number(record.MaintenanceNotification) >= 10_000_000 + generated)
    .sort((a, b) => Number(a.MaintenanceNotification) - Number(b.MaintenanceNotification));
}
