import { sapKey } from '../sap/expressions';

/**
 * JSONata for the MES presets, written once: an SAP order operation becomes an MES operation the same way
 * whether it arrives on its own (A_ProductionOrderOperation_2) or expanded under its order
 * (to_ProductionOrderOperation). `at` is where the operation's properties are read: '' for the record itself,
 * '$op.' inside a `$map` over the expanded operations.
 */

/**
 * The operation's external id: `<order>/<operation>` ("1000123/0010"), with the sequence between the two when
 * it is not the standard sequence '0' ("1000123/1/0010"), so operations of parallel or alternative sequences
 * that reuse a number stay apart. Readable in the MES and enough to find the operation in SAP again.
 */
export function mesOperationId(at = ''): string {
  const sequence = `${at}ManufacturingOrderSequence`;
  const other = `($exists(${sequence}) and ${sequence} != '' and $not($contains($string(${sequence}), /^0+$/)))`;
  return `(${sapKey(`${at}ManufacturingOrder`)}) & '/' & (${other} ? ${sequence} & '/' : '') & ${at}ManufacturingOrderOperation`;
}

/** The operation's text, or "Operation 0010" when SAP has none: the MES requires a name. */
export function mesOperationName(at = ''): string {
  const text = `${at}MfgOrderOperationText`;
  return `$trim(${text}) ? ${text} : 'Operation ' & ${at}ManufacturingOrderOperation`;
}

/** The operation number as the MES's whole-number sequence ('0010' → 10); no value when it is not digits. */
export function mesOperationSequence(at = ''): string {
  const number = `${at}ManufacturingOrderOperation`;
  return `$contains($string(${number}), /^[0-9]+$/) ? $number(${number})`;
}

/**
 * One order operation as an MES operation nested in its part: the part and the source come from the records
 * it sits in, so neither is written. Keys without a value are left out, as the flat preset leaves them out.
 */
export function mesNestedOperation(at: string): string {
  return (
    `{ "external_id": ${mesOperationId(at)}, "operation_name": ${mesOperationName(at)}, ` +
    `"cell_name": ${at}WorkCenter ? ${at}WorkCenter, "sequence": ${mesOperationSequence(at)} }`
  );
}

/**
 * The order quantity as the MES part's quantity, a whole count: decimals round up (12.5 KG → 13), so the
 * shop floor never plans less than SAP ordered. The exact quantity and unit go to the part's notes.
 */
export function mesPartQuantity(property: string): string {
  return `$exists(${property}) and ${property} != '' ? $ceil($number(${property}))`;
}

/** "Order quantity 12.5 KG": the exact SAP quantity, which the whole-number MES quantity may round. */
export function mesQuantityNote(quantity: string, unit: string): string {
  return `$exists(${quantity}) and ${quantity} != '' ? 'Order quantity ' & $string($number(${quantity})) & (${unit} ? ' ' & ${unit} : '')`;
}
