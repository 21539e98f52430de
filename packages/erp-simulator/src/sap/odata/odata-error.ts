/**
 * A failure a simulated OData service reports. Thrown anywhere below the routers and rendered once, in the
 * error body of the protocol version that was called (reference A.10).
 *
 * Codes are the simulator's own message class (TAKT_SIM/nnn): a client must classify by HTTP status and
 * read the text, never depend on Gateway's message numbers.
 */
export interface ErrorDetail {
  readonly code: string;
  readonly message: string;
  readonly target: string;
}

export const ERROR_CODES = {
  badRequest: 'TAKT_SIM/001',
  notFound: 'TAKT_SIM/002',
  methodNotAllowed: 'TAKT_SIM/003',
  validation: 'TAKT_SIM/004',
  preconditionFailed: 'TAKT_SIM/005',
  preconditionRequired: 'TAKT_SIM/006',
  notAcceptable: 'TAKT_SIM/007',
  unsupportedMedia: 'TAKT_SIM/008',
  conflict: 'TAKT_SIM/009',
  failedDependency: 'TAKT_SIM/010',
  notImplemented: 'TAKT_SIM/011',
  internal: 'TAKT_SIM/500',
} as const;

export class ODataError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ODataError';
  }
}

export const badRequest = (message: string): ODataError => new ODataError(400, ERROR_CODES.badRequest, message);
export const notFound = (message: string): ODataError => new ODataError(404, ERROR_CODES.notFound, message);
export const methodNotAllowed = (method: string, what: string): ODataError =>
  new ODataError(405, ERROR_CODES.methodNotAllowed, `The method ${method} is not supported for ${what}`);
