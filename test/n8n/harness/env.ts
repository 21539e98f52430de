import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * n8n-core reads its environment when its services are first built: InstanceSettings writes an encryption key
 * under `<N8N_USER_FOLDER>/.n8n/config`, and the logger prints every node error. Imported before n8n-core by the
 * harness so a test run never touches a real n8n folder (the developer's ~/.n8n, or one N8N_USER_FOLDER names),
 * and Takt's default SQLite store (`<N8N_USER_FOLDER>/.n8n/takt-state.sqlite`) lands in a folder removed when the
 * process exits.
 */
const folder = mkdtempSync(join(tmpdir(), 'takt-n8n-harness-'));
process.env['N8N_USER_FOLDER'] = folder;
process.on('exit', () => rmSync(folder, { recursive: true, force: true }));
process.env['N8N_LOG_LEVEL'] ??= 'silent';
process.env['N8N_DIAGNOSTICS_ENABLED'] ??= 'false';

/** The temporary n8n user folder of this process. */
export function harnessUserFolder(): string {
  return folder;
}
