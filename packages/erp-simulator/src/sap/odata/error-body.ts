import { randomBytes } from 'node:crypto';
import { ODataError, ERROR_CODES } from './odata-error';

/** Where an error happened, for the V2 innererror.application block. */
export interface ErrorContext {
  readonly serviceId: string;
  readonly language: string;
}

/** Gateway's timestamp form: YYYYMMDDhhmmss.fffffff (reference A.10). */
function gatewayTimestamp(now: Date): string {
  const iso = now.toISOString();
  return `${iso.slice(0, 19).replace(/[-:T]/g, '')}.${iso.slice(20, 23)}0000`;
}

export function asODataError(error: unknown): ODataError {
  if (error instanceof ODataError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ODataError(500, ERROR_CODES.internal, `Internal error in the simulator: ${message}`);
}

/**
 * V2 body: error.code, error.message.{lang,value}, innererror with application, transactionid, timestamp and
 * errordetails, the shape Gateway fills (reference A.10). The transaction id is what an administrator would
 * look up in the error log, so it is unique per error.
 */
export function v2ErrorBody(error: ODataError, context: ErrorContext): unknown {
  return {
    error: {
      code: error.code,
      message: { lang: context.language, value: error.message },
      innererror: {
        application: {
          component_id: 'TAKT-SIM',
          service_namespace: '/SAP/',
          service_id: context.serviceId,
          service_version: '0001',
        },
        transactionid: randomBytes(16).toString('hex').toUpperCase(),
        timestamp: gatewayTimestamp(new Date()),
        Error_Resolution: {
          SAP_Transaction: 'Simulated system: there is no error log to look up',
          SAP_Note: 'Simulated system: no SAP Note applies',
        },
        errordetails: error.details.map((d) => ({
          code: d.code,
          message: d.message,
          propertyref: d.target,
          severity: 'error',
          target: d.target,
        })),
      },
    },
  };
}

/** V4 body: error.code, error.message as a plain string, target and details (reference A.10). */
export function v4ErrorBody(error: ODataError): unknown {
  const target = error.details.length === 1 ? error.details[0]?.target : undefined;
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(target ? { target } : {}),
      details: error.details.map((d) => ({ code: d.code, message: d.message, target: d.target })),
    },
  };
}
