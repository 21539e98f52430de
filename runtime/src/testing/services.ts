import { spawnSync } from 'node:child_process';

/**
 * Local services for integration tests. A test that needs PostgreSQL runs against the real server when it
 * is reachable. When it is not: with TAKT_REQUIRE_SERVICES=1 (CI) the tests fail, otherwise they are skipped
 * with a visible notice — never silently.
 */
export const POSTGRES_TEST_URL = process.env.TAKT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const servicesRequired = (): boolean => process.env.TAKT_REQUIRE_SERVICES === '1';

let postgresReachable: boolean | undefined;

/** A synchronous TCP probe (describe blocks are synchronous, so the decision must be too). */
function probe(url: string): boolean {
  const { hostname, port } = new URL(url);
  const script = `
    const socket = require('node:net').connect({ host: ${JSON.stringify(hostname)}, port: ${Number(port || 5432)} });
    socket.setTimeout(2000);
    socket.on('connect', () => process.exit(0));
    socket.on('timeout', () => process.exit(1));
    socket.on('error', () => process.exit(1));`;
  return spawnSync(process.execPath, ['-e', script], { timeout: 5_000 }).status === 0;
}

/** `describe` when PostgreSQL is reachable (or required); a visibly skipped block otherwise. */
export function describeWithPostgres(name: string, body: () => void): void {
  postgresReachable ??= probe(POSTGRES_TEST_URL);
  if (postgresReachable || servicesRequired()) {
    describe(`${name} [PostgreSQL ${new URL(POSTGRES_TEST_URL).host}]`, body);
    return;
  }
  process.stderr.write(
    `\nNOTICE: PostgreSQL is not reachable at ${new URL(POSTGRES_TEST_URL).host}; skipping "${name}". ` +
      'Set TAKT_TEST_POSTGRES_URL, or TAKT_REQUIRE_SERVICES=1 to make this a failure.\n',
  );
  describe.skip(`${name} [skipped: PostgreSQL not reachable]`, body);
}

/** A unique, valid identifier for a test's own database schema. */
export function uniqueSchemaName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
