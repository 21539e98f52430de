import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { TaktError } from '../../errors';
import { parseV2Metadata } from './odata-metadata';
import { dateProperties } from './v2-wire-values';

/** `$metadata` documents as the ERP simulator serves them for the preset services (recorded, see __fixtures__). */
function fixture(service: string): string {
  return readFileSync(join(__dirname, '__fixtures__', 'metadata', `${service}.xml`), 'utf8');
}

function datesOf(service: string, entitySet: string): Record<string, string> | undefined {
  const types = parseV2Metadata(fixture(service)).propertyTypes(entitySet);
  return types === undefined ? undefined : Object.fromEntries(dateProperties(types));
}

describe('parseV2Metadata (recorded preset services)', () => {
  it('production orders and their operations: dates, times, and the 14-character timestamp as a string', () => {
    const metadata = parseV2Metadata(fixture('API_PRODUCTION_ORDER_2_SRV'));
    const orders = metadata.propertyTypes('A_ProductionOrder_2');
    expect(orders?.get('ManufacturingOrder')).toBe('Edm.String');
    expect(orders?.get('TotalQuantity')).toBe('Edm.Decimal');
    expect(orders?.get('LastChangeDateTime')).toBe('Edm.String');
    expect(datesOf('API_PRODUCTION_ORDER_2_SRV', 'A_ProductionOrder_2')).toEqual({
      MfgOrderPlannedStartDate: 'Edm.DateTime',
      MfgOrderPlannedStartTime: 'Edm.Time',
      MfgOrderPlannedEndDate: 'Edm.DateTime',
      MfgOrderPlannedEndTime: 'Edm.Time',
      MfgOrderScheduledStartDate: 'Edm.DateTime',
      MfgOrderScheduledEndDate: 'Edm.DateTime',
      MfgOrderCreationDate: 'Edm.DateTime',
      MfgOrderCreationTime: 'Edm.Time',
    });
    expect(datesOf('API_PRODUCTION_ORDER_2_SRV', 'A_ProductionOrderOperation_2')).toEqual({
      OpErlstSchedldExecStrtDte: 'Edm.DateTime',
      OpErlstSchedldExecStrtTme: 'Edm.Time',
      OpErlstSchedldExecEndDte: 'Edm.DateTime',
      OpErlstSchedldExecEndTme: 'Edm.Time',
    });
  });

  it('confirmations', () => {
    expect(datesOf('API_PROD_ORDER_CONFIRMATION_2_SRV', 'ProdnOrdConf2')).toEqual({
      PostingDate: 'Edm.DateTime',
      ConfirmedExecutionStartDate: 'Edm.DateTime',
      ConfirmedExecutionStartTime: 'Edm.Time',
      ConfirmedExecutionEndDate: 'Edm.DateTime',
      ConfirmedExecutionEndTime: 'Edm.Time',
      ConfirmationEntryDate: 'Edm.DateTime',
      ConfirmationEntryTime: 'Edm.Time',
      LastChangeDate: 'Edm.DateTime',
    });
  });

  it('equipment: the DateTime key and the DateTimeOffset change stamp', () => {
    expect(datesOf('API_EQUIPMENT', 'Equipment')).toEqual({
      ValidityEndDate: 'Edm.DateTime',
      ValidityStartDate: 'Edm.DateTime',
      CreationDate: 'Edm.DateTime',
      LastChangeDateTime: 'Edm.DateTimeOffset',
    });
  });

  it('work centers', () => {
    expect(datesOf('API_WORK_CENTERS', 'A_WorkCenters')).toEqual({
      ValidityStartDate: 'Edm.DateTime',
      ValidityEndDate: 'Edm.DateTime',
      LastChangeDate: 'Edm.DateTime',
    });
  });

  it('maintenance notifications', () => {
    expect(datesOf('API_MAINTNOTIFICATION', 'MaintenanceNotification')).toEqual({
      MalfunctionStartDate: 'Edm.DateTime',
      MalfunctionStartTime: 'Edm.Time',
      MalfunctionEndDate: 'Edm.DateTime',
      MalfunctionEndTime: 'Edm.Time',
      CreationDate: 'Edm.DateTime',
      CreationTime: 'Edm.Time',
      LastChangeDate: 'Edm.DateTime',
      LastChangeTime: 'Edm.Time',
      LastChangeDateTime: 'Edm.DateTimeOffset',
    });
  });

  it('answers undefined for an entity set the service does not have', () => {
    expect(parseV2Metadata(fixture('API_EQUIPMENT')).propertyTypes('A_ProductionOrder_2')).toBeUndefined();
  });
});

const EDMX = (schemas: string): string =>
  '<?xml version="1.0" encoding="utf-8"?>\n<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">' +
  `<edmx:DataServices>${schemas}</edmx:DataServices></edmx:Edmx>`;

describe('parseV2Metadata (shapes beyond the simulator)', () => {
  it('resolves aliases, base types, single quotes, comments and entities across schemas', () => {
    const xml = EDMX(
      `<Schema Namespace="ZSRV.types" Alias='T'>
         <!-- a comment with <Property Name="Ignored" Type="Edm.Time"/> inside -->
         <EntityType Name="Base" Abstract="true"><Property Name="ValidFrom" Type='Edm.DateTime'/></EntityType>
         <EntityType Name="Order" BaseType="T.Base">
           <Key><PropertyRef Name="Id"/></Key>
           <Property Name="Id" Type="Edm.String" Nullable="false"/>
           <Property Name="Due" Type="Edm.DateTimeOffset"><Documentation>due &amp; &lt;late&gt;</Documentation></Property>
           <NavigationProperty Name="to_Items" Relationship="T.Assoc" FromRole="A" ToRole="B"/>
         </EntityType>
         <ComplexType Name="Period"><Property Name="Start" Type="Edm.DateTime"/></ComplexType>
       </Schema>
       <Schema Namespace="ZSRV">
         <EntityContainer Name="ZSRV_Entities"><EntitySet Name="Orders" EntityType="T.Order"/></EntityContainer>
       </Schema>`,
    );
    const types = parseV2Metadata(xml).propertyTypes('Orders');
    expect(types && Object.fromEntries(types)).toEqual({
      ValidFrom: 'Edm.DateTime',
      Id: 'Edm.String',
      Due: 'Edm.DateTimeOffset',
    });
  });

  it.each([
    ['an unclosed element', EDMX('<Schema Namespace="N"><EntityType Name="A"><Property Name="X" Type="Edm.Time"/>')],
    ['a mismatched closing tag', EDMX('<Schema Namespace="N"><EntityType Name="A"></Schema></EntityType>')],
    ['a stray "<"', EDMX('<Schema Namespace="N"><EntityType Name="A">< Property/></EntityType></Schema>')],
    ['an unterminated attribute', EDMX('<Schema Namespace="N"><EntityType Name="A></EntityType></Schema>')],
    ['an unterminated comment', EDMX('<Schema Namespace="N"><!-- never ends </Schema>')],
    [
      'a Property without a Type',
      EDMX('<Schema Namespace="N"><EntityType Name="A"><Property Name="X"/></EntityType></Schema>'),
    ],
  ])('refuses %s as RESPONSE_INVALID', (_, xml) => {
    expect(() => parseV2Metadata(xml)).toThrow(
      expect.objectContaining({
        code: 'RESPONSE_INVALID',
        message: expect.stringMatching(/not well-formed XML at character \d+/),
      }) as Error,
    );
  });

  it('refuses a document without entity types (an HTML logon page, a JSON error)', () => {
    for (const body of ['<html><body>Logon</body></html>', '{"error":{}}']) {
      let caught: unknown;
      try {
        parseV2Metadata(body);
      } catch (error) {
        caught = error;
      }
      expect(TaktError.is(caught) && caught.code).toBe('RESPONSE_INVALID');
      expect(TaktError.is(caught) && caught.message).toMatch(/declares no EntityType/);
    }
  });
});
