/**
 * JSONata building blocks for SAP OData V2 payloads (erp-protocols.md A.5), written once here so each preset
 * reads as a list of fields. Every helper returns an expression string.
 */

/**
 * An ABAP flag that is set: 'X' in the older `_SRV` APIs, `true` in CDS-based ones (A.5). Accepting both
 * keeps a preset working when a later release retypes the property.
 */
export function sapFlag(property: string): string {
  return `(${property} = 'X' or ${property} = true)`;
}

/**
 * Presets use STRING `trimLeadingZeros` instead, which runs without JSONata; kept for composite values built
 * in an expression (a confirmation's `group/count` id).
 *
 * A numeric key without its leading zeros ("000000000210100094" → "210100094"); a key with any other
 * character is left alone. SAP's APIs return numeric-looking keys unpadded, but some fields (a
 * notification's TechnicalObject) carry them padded, so ids are normalised before they are compared (A.11,
 * "Leading zeros").
 */
export function sapKey(property: string): string {
  return `$type(${property}) = 'string' and $contains(${property}, /^[0-9]+$/) ? $replace(${property}, /^0+(?=[0-9])/, '') : ${property}`;
}

/**
 * @deprecated A DATETIME field with `erp` (the date) and `erpTime` (the time) reads the pair without JSONata
 * and writes it back in the zone.
 *
 * An SAP date + time pair as one 14-character stamp `YYYYMMDDhhmmss`, for a DATETIME field read with
 * format 'sap14' in the plant's time zone. The date is an Edm.DateTime `/Date(ms)/` at midnight UTC that
 * stands for a calendar day; the time an Edm.Time `PThhHmmMssS` of wall-clock time (A.5). No value when the
 * date is empty (SAP's initial value), whatever the time says (an empty time is "PT00H00M00S").
 */
export function sapDateAndTime(dateProperty: string, timeProperty: string): string {
  const day = `$fromMillis($number($match(${dateProperty}, /-?[0-9]+/)[0].match), '[Y0001][M01][D01]')`;
  const time = `($match(${timeProperty}, /^PT([0-9]{2})H([0-9]{2})M([0-9]{2})S$/)[0].groups ~> $join())`;
  return `${dateProperty} ? ${day} & (${time} ? ${time} : '000000')`;
}

/**
 * @deprecated Writes the UTC day; a DATETIME field with `erpTime` writes the wall date in the field's zone.
 *
 * The calendar day of an instant as `YYYY-MM-DD`, for a DATE field written with format 'odata-v2'; the
 * outbound half of sapDateAndTime. JSONata knows fixed offsets only, so day and time are taken in UTC: see
 * the presets README for plants in other zones.
 */
export function sapDayOf(canonicalField: string): string {
  return `${canonicalField} ? $fromMillis($toMillis(${canonicalField}), '[Y0001]-[M01]-[D01]')`;
}

/**
 * @deprecated Writes the UTC time; a DATETIME field with `erpTime` writes the wall time in the field's zone.
 *
 * The time of day of an instant as an Edm.Time `PThhHmmMssS` (UTC; see sapDayOf).
 */
export function sapTimeOf(canonicalField: string): string {
  return `${canonicalField} ? $fromMillis($toMillis(${canonicalField}), 'PT[H01]H[m01]M[s01]S')`;
}
