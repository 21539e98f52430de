/**
 * The two OData protocol versions SAP Gateway speaks: V2 for the classic `API_*_SRV` services under
 * `/sap/opu/odata/sap/`, V4 for RAP service bindings under `/sap/opu/odata4/` (reference A.1).
 */
export type ODataVersion = 'v2' | 'v4';

export const ODATA_VERSIONS: readonly ODataVersion[] = ['v2', 'v4'];

/**
 * Headers every request of a version carries. V4 asks for `IEEE754Compatible=true` so that Edm.Decimal and
 * Edm.Int64 arrive as JSON strings, as they do in V2: decimals must never pass through a float (reference A.5).
 * https://docs.oasis-open.org/odata/odata-json-format/v4.01/odata-json-format-v4.01.html#sec_ControllingtheRepresentationofNumbers
 */
export function versionHeaders(version: ODataVersion): Readonly<Record<string, string>> {
  return version === 'v2'
    ? { accept: 'application/json', dataserviceversion: '2.0', maxdataserviceversion: '2.0' }
    : { accept: 'application/json;IEEE754Compatible=true', 'odata-version': '4.0', 'odata-maxversion': '4.0' };
}

/** The Content-Type of a JSON body sent to a version (V4: decimals as strings, matching what it reads). */
export function jsonContentType(version: ODataVersion): string {
  return version === 'v2' ? 'application/json' : 'application/json;IEEE754Compatible=true';
}
