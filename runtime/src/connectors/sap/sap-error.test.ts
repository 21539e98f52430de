import { TaktError, forgetSecret, registerSecret } from '../../errors';
import { codeForStatus, parseSapErrorBody, refineSapError, sapErrorFromResponse } from './sap-error';

/** Gateway V2 error as reference A.10 shows it (public OpenAPI contract + Gateway innererror). */
const V2_BODY = JSON.stringify({
  error: {
    code: '/IWBEP/CM_MGW_RT/021',
    message: { lang: 'en', value: "Filtering on property 'X' is not supported" },
    innererror: {
      application: {
        component_id: 'PP-SFC',
        service_namespace: '/SAP/',
        service_id: 'API_PRODUCTION_ORDER_2_SRV',
        service_version: '0001',
      },
      transactionid: '0A1B2C3D4E5F60718293A4B5C6D7E8F9',
      timestamp: '20200428134913.3847960',
      Error_Resolution: {
        SAP_Transaction: 'Run transaction /IWFND/ERROR_LOG on SAP Gateway hub system',
        SAP_Note: 'See SAP Note 1797736 for error analysis',
      },
      errordetails: [
        {
          code: '/IWBEP/CM_MGW_RT/021',
          message: "Filtering on property 'X' is not supported",
          propertyref: '',
          severity: 'error',
          target: '',
        },
        {
          code: 'CO/001',
          message: 'Plant 1010 is not valid',
          propertyref: 'ProductionPlant',
          severity: 'error',
          target: '',
        },
        { code: 'CO/900', message: 'Just a note', propertyref: '', severity: 'info', target: '' },
      ],
    },
  },
});

const V4_BODY = {
  error: {
    code: 'PP_ORDER/105',
    message: 'Quantity must be greater than zero',
    target: 'TotalQuantity',
    details: [
      { code: 'PP_ORDER/106', message: 'Unit PC allows no decimals', target: 'Unit', '@Common.numericSeverity': 4 },
    ],
    innererror: { ErrorDetails: { '@Core.ContentID': '3' } },
  },
};

const XML_BODY = `<?xml version="1.0" encoding="utf-8"?>
<error xmlns="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">
  <code>CO/017</code>
  <message xml:lang="en">Order 1000006 &amp; its operations do not exist</message>
  <innererror>
    <transactionid>5F2A1C0D9E8B4C7A</transactionid>
    <timestamp>20240501080002.1234560</timestamp>
    <Error_Resolution><SAP_Note>See SAP Note 1797736</SAP_Note></Error_Resolution>
    <errordetails>
      <errordetail><code>CO/017</code><message>Order 1000006 &amp; its operations do not exist</message><propertyref/><severity>error</severity><target/></errordetail>
      <errordetail><code>CO/018</code><message><![CDATA[Check <ManufacturingOrder>]]></message><propertyref>ManufacturingOrder</propertyref><severity>error</severity><target/></errordetail>
    </errordetails>
  </innererror>
</error>`;

describe('parseSapErrorBody', () => {
  it('reads a Gateway V2 JSON error with its errordetails and the ids Basis needs', () => {
    expect(parseSapErrorBody(V2_BODY)).toEqual({
      format: 'v2',
      code: '/IWBEP/CM_MGW_RT/021',
      message: "Filtering on property 'X' is not supported",
      lang: 'en',
      target: undefined,
      details: [
        { code: '/IWBEP/CM_MGW_RT/021', message: "Filtering on property 'X' is not supported", severity: 'error' },
        { code: 'CO/001', message: 'Plant 1010 is not valid', propertyref: 'ProductionPlant', severity: 'error' },
        { code: 'CO/900', message: 'Just a note', severity: 'info' },
      ],
      transactionId: '0A1B2C3D4E5F60718293A4B5C6D7E8F9',
      timestamp: '20200428134913.3847960',
      contentId: undefined,
    });
  });

  it('reads a V4 error (message a string, details[], numeric severity)', () => {
    expect(parseSapErrorBody(V4_BODY)).toMatchObject({
      format: 'v4',
      code: 'PP_ORDER/105',
      message: 'Quantity must be greater than zero',
      target: 'TotalQuantity',
      details: [{ code: 'PP_ORDER/106', message: 'Unit PC allows no decimals', target: 'Unit', severity: 'error' }],
    });
    expect(
      parseSapErrorBody({ error: { code: '412', message: 'Precondition Failed', '@Core.ContentID': 2 } }),
    ).toMatchObject({
      contentId: '2',
    });
  });

  it('reads the XML error Gateway sends when JSON was not negotiated', () => {
    expect(parseSapErrorBody(XML_BODY)).toEqual({
      format: 'xml',
      code: 'CO/017',
      message: 'Order 1000006 & its operations do not exist',
      lang: 'en',
      details: [
        { code: 'CO/017', message: 'Order 1000006 & its operations do not exist', severity: 'error' },
        { code: 'CO/018', message: 'Check <ManufacturingOrder>', propertyref: 'ManufacturingOrder', severity: 'error' },
      ],
      transactionId: '5F2A1C0D9E8B4C7A',
      timestamp: '20240501080002.1234560',
    });
    expect(
      parseSapErrorBody('<m:error xmlns:m="x"><m:code>A/1</m:code><m:message>Bad</m:message></m:error>'),
    ).toMatchObject({
      code: 'A/1',
      message: 'Bad',
    });
  });

  it('salvages code and message from a body cut at the transport snippet limit', () => {
    // Cut inside errordetails: everything before the cut is still read.
    expect(parseSapErrorBody(V2_BODY.slice(0, 600))).toEqual({
      format: 'v2',
      code: '/IWBEP/CM_MGW_RT/021',
      message: "Filtering on property 'X' is not supported",
      details: [],
      transactionId: '0A1B2C3D4E5F60718293A4B5C6D7E8F9',
      timestamp: '20200428134913.3847960',
      truncated: true,
    });
  });

  it.each(['', '<html><body>ICM error</body></html>', 'Internal Server Error', '{"value":[]}', '{"error":'])(
    'is undefined for a body that is not an SAP error: %j',
    (body) => {
      expect(parseSapErrorBody(body)).toBeUndefined();
    },
  );
});

describe('codeForStatus', () => {
  const sap = parseSapErrorBody(V2_BODY);
  it.each([
    [400, 'ERP_REJECTED', sap],
    [400, 'HTTP_BAD_REQUEST', undefined],
    [422, 'ERP_REJECTED', sap],
    [405, 'HTTP_CLIENT_ERROR', undefined],
    [401, 'AUTH_FAILED', sap],
    [403, 'FORBIDDEN', sap],
    [404, 'HTTP_NOT_FOUND', sap],
    [
      404,
      'SERVICE_NOT_FOUND',
      parseSapErrorBody({ error: { code: '/IWFND/MED/170', message: { value: 'No service found for namespace' } } }),
    ],
    [
      404,
      'SERVICE_NOT_FOUND',
      parseSapErrorBody({ error: { code: 'X', message: "Resource not found for segment 'A_Foo'" } }),
    ],
    [409, 'HTTP_CONFLICT', sap],
    [412, 'HTTP_PRECONDITION_FAILED', sap],
    [428, 'HTTP_PRECONDITION_REQUIRED', sap],
    [429, 'HTTP_RATE_LIMITED', sap],
    [500, 'HTTP_SERVER_ERROR', sap],
    [503, 'HTTP_UNAVAILABLE', sap],
    [200, 'RESPONSE_INVALID', sap],
  ] as const)('%i → %s', (status, code, parsed) => {
    expect(codeForStatus(status, parsed)).toBe(code);
  });
});

describe('sapErrorFromResponse', () => {
  it('puts the SAP message first, then the first error details, then where', () => {
    const error = sapErrorFromResponse({ status: 400, body: V2_BODY }, { context: 'GET A_ProductionOrder_2' });
    expect(error.code).toBe('ERP_REJECTED');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      "Filtering on property 'X' is not supported [/IWBEP/CM_MGW_RT/021]; Plant 1010 is not valid [CO/001] " +
        '(HTTP 400 on GET A_ProductionOrder_2; SAP transaction 0A1B2C3D4E5F60718293A4B5C6D7E8F9)',
    );
    expect(error.details).toMatchObject({
      status: 400,
      sap: {
        code: '/IWBEP/CM_MGW_RT/021',
        transactionId: '0A1B2C3D4E5F60718293A4B5C6D7E8F9',
        timestamp: '20200428134913.3847960',
      },
    });
  });

  it('keeps a 412 a conflict and a 503 retryable, 501 not', () => {
    expect(sapErrorFromResponse({ status: 412, body: V4_BODY }).kind).toBe('conflict');
    expect(sapErrorFromResponse({ status: 503, body: 'busy' }).retryable).toBe(true);
    expect(sapErrorFromResponse({ status: 501, body: V4_BODY }).retryable).toBe(false);
  });

  it('lets a record locked by another user be retried', () => {
    const locked = { error: { code: 'CO/469', message: { value: 'Order 1000005 is locked by user PLANNER1' } } };
    const error = sapErrorFromResponse({ status: 400, body: locked });
    expect([error.code, error.retryable]).toEqual(['ERP_REJECTED', true]);
  });

  it('words an unreadable body from its text, tags stripped', () => {
    const error = sapErrorFromResponse({
      status: 500,
      statusText: 'Internal Server Error',
      contentType: 'text/html',
      body: '<html><body><h1>500 SAP Internal Server Error</h1><p>ERROR: ICM timeout</p></body></html>',
    });
    expect(error.message).toBe(
      'SAP answered 500 Internal Server Error: 500 SAP Internal Server Error ERROR: ICM timeout',
    );
  });

  it('cuts long messages and redacts secrets before cutting', () => {
    registerSecret('s3cr3t-passw0rd');
    try {
      const body = { error: { code: 'X', message: `login s3cr3t-passw0rd ${'x'.repeat(2000)}` } };
      const error = sapErrorFromResponse({ status: 400, body });
      expect(error.message).not.toContain('s3cr3t');
      expect(error.message.startsWith('login [REDACTED] xxx')).toBe(true);
      expect(error.message.length).toBeLessThan(520);
      expect(JSON.stringify(error.toJSON())).not.toContain('s3cr3t');
    } finally {
      forgetSecret('s3cr3t-passw0rd');
    }
  });
});

describe('refineSapError', () => {
  const transportError = (status: number, code: 'HTTP_BAD_REQUEST' | 'HTTP_NOT_FOUND', body: string): TaktError =>
    new TaktError(code, `POST https://s4.example.com/sap/opu/odata/sap/API_X/A_X returned ${status}. Server said: …`, {
      retryable: false,
      details: {
        requestMayHaveReachedServer: true,
        method: 'POST',
        url: 'https://s4.example.com/sap/opu/odata/sap/API_X/A_X',
        status,
        bodySnippet: body,
        responseHeaders: { 'content-type': 'application/xml' },
      },
    });

  it('turns a transport 400 with an SAP body into ERP_REJECTED with the SAP wording, keeping the transport facts', () => {
    const original = transportError(400, 'HTTP_BAD_REQUEST', XML_BODY);
    const refined = refineSapError(original);
    expect(refined.code).toBe('ERP_REJECTED');
    expect(refined.message).toBe(
      'Order 1000006 & its operations do not exist [CO/017]; Check <ManufacturingOrder> [CO/018] ' +
        '(HTTP 400 on POST https://s4.example.com/sap/opu/odata/sap/API_X/A_X; SAP transaction 5F2A1C0D9E8B4C7A)',
    );
    expect(refined.details).toMatchObject({
      requestMayHaveReachedServer: true,
      status: 400,
      contentType: 'application/xml',
      sap: { format: 'xml', code: 'CO/017', transactionId: '5F2A1C0D9E8B4C7A' },
    });
    expect(refined.cause).toBe(original);
  });

  it('recognises a missing service behind a 404', () => {
    const body =
      '{"error":{"code":"/IWFND/MED/170","message":{"lang":"en","value":"No service found for namespace \'/SAP/\', name \'API_X\', version \'0001\'"}}}';
    expect(refineSapError(transportError(404, 'HTTP_NOT_FOUND', body)).code).toBe('SERVICE_NOT_FOUND');
  });

  it('returns the error itself when there is nothing SAP-shaped to read', () => {
    const plain = transportError(400, 'HTTP_BAD_REQUEST', '<html>Bad</html>');
    expect(refineSapError(plain)).toBe(plain);
    const network = new TaktError('CONNECTION_RESET', 'socket hang up');
    expect(refineSapError(network)).toBe(network);
  });
});
