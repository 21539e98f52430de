import { forgetSecret, registerSecret } from '../errors';
import { createLogger, type LogRecord } from './logger';

describe('createLogger', () => {
  it('writes structured records at or above its level, with child fields', () => {
    const records: LogRecord[] = [];
    const log = createLogger({ level: 'info', sink: (r) => records.push(r), now: () => 0, fields: { node: 'sap' } });
    log.debug('hidden');
    log.child({ stream: 'orders' }).warn('lease lost', { fence: 3 });
    expect(records).toEqual([
      { time: '1970-01-01T00:00:00.000Z', level: 'warn', msg: 'lease lost', node: 'sap', stream: 'orders', fence: 3 },
    ]);
  });

  it('redacts secrets in messages and fields, whatever the caller passes', () => {
    const canary = `canary-${Math.random().toString(36).slice(2)}`;
    registerSecret(canary);
    const lines: string[] = [];
    const log = createLogger({ sink: (r) => lines.push(JSON.stringify(r)) });
    try {
      log.error(`request to https://u:${canary}@sap/ failed`, {
        request: { headers: { Authorization: 'Basic dXNlcjpwdw==', Cookie: 'MYSAPSSO2=abc' }, body: `pw=${canary}` },
        error: new Error(`echo ${canary}`),
        webhookSecret: 'whsec_abcdefghijklmnop',
        apiKey: 'k-123456',
        text: 'password=hunter22 x-api-key: zzz',
      });
      expect(lines).toHaveLength(1);
      const line = lines[0]!;
      expect(line).not.toContain(canary);
      for (const leaked of ['dXNlcjpwdw==', 'MYSAPSSO2=abc', 'whsec_abcdefghijklmnop', 'k-123456', 'hunter22', 'zzz']) {
        expect(line).not.toContain(leaked);
      }
    } finally {
      forgetSecret(canary);
    }
  });
});
