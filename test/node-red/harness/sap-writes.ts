/**
 * Changes an SAP record the way another SAP user would: over OData V2 with the CSRF handshake (fetch a token
 * and the session cookies, then PATCH with If-Match *). The simulator stamps LastChangeDateTime, so a delta
 * poll sees the change.
 */
export async function patchSap(
  simulatorUrl: string,
  service: string,
  path: string,
  fields: Readonly<Record<string, unknown>>,
): Promise<void> {
  const root = `${simulatorUrl}/sap/opu/odata/sap/${service}/`;
  const authorization = `Basic ${Buffer.from('TAKT_USER:Welcome1!').toString('base64')}`;
  const fetched = await fetch(`${root}?sap-client=100`, {
    headers: { authorization, 'x-csrf-token': 'Fetch', accept: 'application/json' },
  });
  const token = fetched.headers.get('x-csrf-token');
  const cookie = fetched.headers
    .getSetCookie()
    .map((entry) => entry.split(';')[0])
    .join('; ');
  if (!fetched.ok || !token) throw new Error(`CSRF fetch at ${root}: ${fetched.status}`);
  const response = await fetch(`${root}${path}?sap-client=100`, {
    method: 'PATCH',
    headers: {
      authorization,
      cookie,
      'x-csrf-token': token,
      'if-match': '*',
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body: JSON.stringify(fields),
  });
  if (response.status !== 204) throw new Error(`PATCH ${path}: ${response.status} ${await response.text()}`);
}
