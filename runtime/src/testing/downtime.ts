const DAY_MS = 86_400_000;

/**
 * A machine downtime as an SAP maintenance notification (API_MAINTNOTIFICATION, OData V2 wire shape, as the
 * outbound downtime mapping makes it): machine `machine` down since `minute` minutes into today (UTC). Tests of
 * the store-and-forward outbox send these; the natural-key target identifies one by machine and start.
 */
export function sapDowntimeNotification(machine: string, minute: number, text: string): Record<string, unknown> {
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const hh = String(Math.floor(minute / 60)).padStart(2, '0');
  const mm = String(minute % 60).padStart(2, '0');
  return {
    NotificationType: 'M2',
    NotificationText: text,
    TechnicalObject: machine,
    TechObjIsEquipOrFuncnlLoc: 'EAMS_EQUI',
    MaintenanceObjectIsDown: true,
    MalfunctionStartDate: `/Date(${today})/`,
    MalfunctionStartTime: `PT${hh}H${mm}M00S`,
  };
}
