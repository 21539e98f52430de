import { startSimulator, type RunningSimulator } from '../simulator';
import type { SimulatorOptions } from '../simulator-options';

/** Plain-fetch helpers for the simulator's own wire tests: no Takt runtime code, only the documented protocol. */
export const BASIC = `Basic ${Buffer.from('TAKT_USER:Welcome1!').toString('base64')}`;
export const PO_ROOT = '/sap/opu/odata/sap/API_PRODUCTION_ORDER_2_SRV';
export const PO_V4_ROOT = '/sap/opu/odata4/sap/api_production_order_2/srvd_a2x/sap/productionorder/0001';
export const WC_V4_ROOT = '/sap/opu/odata4/sap/api_work_center/srvd_a2x/sap/workcenter/0001';

export function sapSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ services: ['sap'], size: 1000, ...options });
}

export async function getJson<T = Record<string, unknown>>(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(url, { headers: { authorization: BASIC, accept: 'application/json', ...headers } });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}

export interface CsrfSession {
  readonly token: string;
  readonly cookie: string;
}

/** The CSRF handshake of reference A.4: GET with X-CSRF-Token: Fetch, keep the token and every cookie. */
export async function fetchCsrf(sim: RunningSimulator, root = PO_ROOT, auth = BASIC): Promise<CsrfSession> {
  const response = await fetch(`${sim.url}${root}/`, { headers: { authorization: auth, 'x-csrf-token': 'Fetch' } });
  await response.arrayBuffer();
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  return { token: response.headers.get('x-csrf-token') ?? '', cookie };
}

export async function send(
  url: string,
  method: string,
  session: CsrfSession | undefined,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown; headers: Headers; text: string }> {
  const response = await fetch(url, {
    method,
    headers: {
      authorization: BASIC,
      accept: 'application/json',
      'content-type': 'application/json',
      ...(session ? { 'x-csrf-token': session.token, cookie: session.cookie } : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed, headers: response.headers, text };
}
