import { asODataError, v2ErrorBody, v4ErrorBody } from '../odata/error-body';
import { methodNotAllowed, ODataError, ERROR_CODES } from '../odata/odata-error';
import type { ODataContext, ODataRequest, ODataResponse } from '../odata/request-context';
import { jsonBatch } from './json-batch';
import { multipartBatch } from './multipart-batch';

/** `$batch`: multipart/mixed in both versions, JSON batch in V4 only (reference A.9). */
export function dispatchBatch(context: ODataContext, request: ODataRequest): ODataResponse {
  try {
    if (request.method !== 'POST') throw methodNotAllowed(request.method, '$batch');
    const contentType = String(request.headers['content-type'] ?? '');
    if (/^multipart\/mixed/i.test(contentType)) return multipartBatch(context, request);
    if (context.service.version === 'v4' && /^application\/json/i.test(contentType)) return jsonBatch(context, request);
    throw new ODataError(415, ERROR_CODES.unsupportedMedia, `Unsupported $batch content type '${contentType}'`);
  } catch (error) {
    const failure = asODataError(error);
    return {
      status: failure.status,
      headers: { 'content-type': 'application/json' },
      body:
        context.service.version === 'v2'
          ? v2ErrorBody(failure, { serviceId: context.service.name, language: context.language })
          : v4ErrorBody(failure),
    };
  }
}
