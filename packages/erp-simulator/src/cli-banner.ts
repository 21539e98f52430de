import type { RunningSimulator } from './simulator';

/** What the CLI prints on start: where each service answers and which credentials it takes. */
export function banner(sim: RunningSimulator): string {
  const lines = [`Takt ERP simulator listening on ${sim.url}`, ''];
  if (sim.sap) {
    lines.push(`SAP Gateway (sap-client ${sim.sap.client}, page size ${sim.sap.maxPageSize})`);
    for (const root of sim.sap.serviceRoots) {
      lines.push(`  OData ${root.version.toUpperCase()}  ${sim.url}${root.path}/   ${root.entitySets.join(', ')}`);
    }
    lines.push(`  OAuth2 token  POST ${sim.url}${sim.sap.tokenPath}  (grant_type=client_credentials)`);
    for (const user of sim.sap.users) lines.push(`  Basic user    ${user.user} / ${user.password}`);
    for (const client of sim.sap.oauthClients)
      lines.push(`  OAuth client  ${client.clientId} / ${client.clientSecret}`);
    lines.push('');
  }
  if (sim.mes) {
    lines.push(`MES sync API   ${sim.url}${sim.mes.basePath}/api-<entity>/sync | bulk-sync`, '');
  }
  lines.push(
    `Control        ${sim.url}/__sim/health · /__sim/faults (GET/PUT/DELETE) · /__sim/requests (GET/DELETE)`,
    'Stop with Ctrl+C.',
  );
  return `${lines.join('\n')}\n`;
}
