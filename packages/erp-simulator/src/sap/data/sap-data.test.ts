import { comparableValue, compareComparable } from '../filter/comparable';
import { SapData } from './sap-data';

/** The generated data: deterministic per seed, monotone where queries rely on it, and free until touched. */
const SAMPLE = 20_000;

describe('generated data', () => {
  const data = new SapData(42, 1_000_000);

  it.each([...data.stores.keys()])('%s is non-decreasing in its monotone properties', (name) => {
    const { def } = data.store(name);
    const properties = def.monotone.map((m) => def.properties.find((p) => p.name === m)!);
    let previous = def.generate(0);
    for (let i = 1; i < SAMPLE; i++) {
      const current = def.generate(i);
      for (const property of properties) {
        const order = compareComparable(
          comparableValue(property, previous[property.name], 'v2'),
          comparableValue(property, current[property.name], 'v2'),
        );
        if (order > 0) throw new Error(`${name}.${property.name} decreases at ${i}`);
      }
      previous = current;
    }
  });

  it.each([...data.stores.keys()])('%s maps keys back to their index', (name) => {
    const store = data.store(name);
    for (const index of [0, 1, 777, store.baseCount - 1]) {
      const record = store.def.generate(index);
      const key = Object.fromEntries(store.def.keys.map((k) => [k, record[k] ?? null]));
      expect(store.def.indexOfKey(key)).toBe(index);
      expect(store.get(key)).toEqual(record);
    }
  });

  it('is the same for the same seed and differs for another', () => {
    const again = new SapData(42, 1_000_000);
    const other = new SapData(43, 1_000_000);
    const key = { ManufacturingOrder: '1654321' };
    expect(again.get('ProductionOrders', key)).toEqual(data.get('ProductionOrders', key));
    expect(other.get('ProductionOrders', key)).not.toEqual(data.get('ProductionOrders', key));
  });

  it('holds a million records per set without generating them', () => {
    expect(data.counts()).toEqual({
      ProductionOrders: 1_000_000,
      ProductionOrderOperations: 4_000_000,
      Confirmations: 1_000_000,
      Equipment: 1_000_000,
      WorkCenters: 1_000_000,
      MaintenanceNotifications: 1_000_000,
    });
    expect(data.get('ProductionOrders', { ManufacturingOrder: '1999999' })?.LastChangeDateTime).toMatch(/^2025\d{10}$/);
    expect(data.get('ProductionOrders', { ManufacturingOrder: '2000000' })).toBeUndefined();
  });

  it('keeps references consistent: an operation belongs to its order, a confirmation to its operation', () => {
    const operation = data.get('ProductionOrderOperations', {
      OrderInternalBillOfOperations: '2000123',
      OrderIntBillOfOperationsItem: '3',
    })!;
    expect(operation.ManufacturingOrder).toBe('1000123');
    const order = data.get('ProductionOrders', { ManufacturingOrder: '1000123' })!;
    expect(operation.OpPlannedTotalQuantity).toBe(order.TotalQuantity);
    const confirmation = data.get('Confirmations', {
      ConfirmationGroup: String(operation.OperationConfirmation),
      ConfirmationCount: '1',
    })!;
    expect(confirmation.OrderID).toBe('1000123');
    expect(confirmation.OrderOperation).toBe('0030');
  });

  it('leaves the oldest equipment without LastChangeDateTime, as never-changed records are', () => {
    expect(
      data.get('Equipment', { Equipment: '10000000', ValidityEndDate: Date.UTC(9999, 11, 31) })?.LastChangeDateTime,
    ).toBeNull();
    expect(
      data.get('Equipment', { Equipment: '10500000', ValidityEndDate: Date.UTC(9999, 11, 31) })?.LastChangeDateTime,
    ).toEqual(expect.any(Number));
  });
});

describe('overlay', () => {
  it('moves a changed base record into the overlay and undoes it exactly', () => {
    const data = new SapData(1, 10);
    const store = data.store('ProductionOrders');
    const original = store.get({ ManufacturingOrder: '1000003' })!;
    const undo = store.put({ ...original, TotalQuantity: '1' });
    expect(store.get({ ManufacturingOrder: '1000003' })?.TotalQuantity).toBe('1');
    expect(store.base(3)).toBeUndefined();
    expect(store.count).toBe(10);
    undo();
    expect(store.get({ ManufacturingOrder: '1000003' })).toEqual(original);
    expect(store.base(3)).toEqual(original);
  });

  it('numbers creates after the generated keys and skips numbers clients took', () => {
    const store = new SapData(1, 10).store('ProductionOrders');
    const taken = store.get({ ManufacturingOrder: '1000000' })!;
    store.put({ ...taken, ManufacturingOrder: '1000010' });
    expect(store.nextNumber()).toBe(1_000_011);
  });
});
