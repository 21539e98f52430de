import type { ODataContext, ODataRequest, ODataResponse } from '../odata/request-context';
import { xmlEscape } from '../odata/xml';

/**
 * The V2 service document (reference A.1): Atom/AtomPub XML by default, `{"d":{"EntitySets":[…]}}` when JSON is
 * asked for. It is where clients usually fetch the CSRF token, so it must answer without $format.
 */
export function v2ServiceDocument(context: ODataContext, request: ODataRequest): ODataResponse {
  const names = context.service.sets.map((s) => s.name);
  const json =
    request.query.get('$format') === 'json' || /application\/json/i.test(String(request.headers.accept ?? ''));
  if (json) {
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', dataserviceversion: '2.0' },
      body: { d: { EntitySets: names } },
    };
  }
  const collections = names
    .map((n) => `<app:collection href="${xmlEscape(n)}"><atom:title>${xmlEscape(n)}</atom:title></app:collection>`)
    .join('');
  return {
    status: 200,
    headers: { 'content-type': 'application/atomsvc+xml; charset=utf-8', dataserviceversion: '2.0' },
    body:
      '<?xml version="1.0" encoding="utf-8"?>' +
      `<app:service xml:base="${xmlEscape(context.rootUrl)}/" xmlns:app="http://www.w3.org/2007/app" xmlns:atom="http://www.w3.org/2005/Atom">` +
      `<app:workspace><atom:title>Data</atom:title>${collections}</app:workspace></app:service>`,
  };
}
