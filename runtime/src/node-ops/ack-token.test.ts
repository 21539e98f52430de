import { TaktError } from '../errors';
import { CAPABILITY_TOKEN_PREFIX, decodeAckToken, encodeAckToken } from './ack-token';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (TaktError.is(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'decoded';
}

describe('ack tokens', () => {
  it('a pull token is the store token as is, whitespace trimmed', () => {
    expect(decodeAckToken('  AbC_123-xyz ')).toEqual({ kind: 'pull', token: 'AbC_123-xyz' });
  });

  it('an event token round-trips every field and is evt1.<base64url JSON>', () => {
    const event = {
      kind: 'event' as const,
      scope: 'webhook:mes-confirmations',
      id: 'msg_2XkDq',
      owner: 'webhook-7f1c',
      attempt: 2,
      maxAttempts: 5,
      retentionMs: 259_200_000,
    };
    const token = encodeAckToken(event);
    expect(token.startsWith(CAPABILITY_TOKEN_PREFIX)).toBe(true);
    expect(token.slice(CAPABILITY_TOKEN_PREFIX.length)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(token.slice(5), 'base64url').toString('utf8'))).toEqual({
      k: 'event',
      s: 'webhook:mes-confirmations',
      i: 'msg_2XkDq',
      o: 'webhook-7f1c',
      a: 2,
      m: 5,
      r: 259_200_000,
    });
    expect(decodeAckToken(token)).toEqual(event);
  });

  it('a replay token round-trips scope, dead letter, event id and owner', () => {
    const replay = { kind: 'replay' as const, scope: 'hooks', deadLetterId: 17, eventId: 'evt-9', owner: 'replay-1' };
    expect(decodeAckToken(encodeAckToken(replay))).toEqual(replay);
  });

  it.each([
    [undefined, 'CONFIG_INVALID: The acknowledgement token is missing'],
    ['', 'CONFIG_INVALID: The acknowledgement token is empty'],
    [42, 'CONFIG_INVALID: The acknowledgement token is a number, not text'],
    [['a'], 'CONFIG_INVALID: The acknowledgement token is a list, not text'],
  ])('refuses %p with a message that says where the token comes from', (value, start) => {
    const message = codeOf(() => decodeAckToken(value));
    expect(message.startsWith(start)).toBe(true);
    expect(message).toContain('_takt.token');
  });

  it.each([
    ['evt1.', 'empty body'],
    ['evt1.!!!', 'not base64url'],
    [`evt1.${Buffer.from('not json').toString('base64url')}`, 'not JSON'],
    [`evt1.${Buffer.from('[1,2]').toString('base64url')}`, 'JSON but not an object'],
    [
      `evt1.${Buffer.from('{"k":"event","s":"x","i":"y","o":"z","a":0,"m":5,"r":1}').toString('base64url')}`,
      'attempt 0',
    ],
    [`evt1.${Buffer.from('{"k":"replay","s":"x","d":"1","i":"e","o":"z"}').toString('base64url')}`, 'id as text'],
    [`evt1.${Buffer.from('{"k":"other"}').toString('base64url')}`, 'unknown kind'],
  ])('refuses a damaged evt1 token (%s: %s) as DELIVERY_UNKNOWN without echoing it', (token) => {
    const message = codeOf(() => decodeAckToken(token));
    expect(message).toMatch(/^DELIVERY_UNKNOWN: /);
    expect(message).not.toContain(token.slice(5) || 'evt1.!');
  });
});
