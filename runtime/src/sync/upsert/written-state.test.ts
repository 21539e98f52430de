import type * as crypto from 'node:crypto';
import type * as writtenState from './written-state';
import { ABSENT, digestOf, fieldDigests } from './written-state';

type WrittenStateModule = typeof writtenState;

// Digests are persisted in the id map's sourceVersion: a row written by an earlier version must still compare
// equal, so these are the digests that version wrote, not ones computed here.
const RECORD = {
  AUFNR: '000001000042',
  GAMNG: 120.5,
  STATUS: 'REL',
  DESCRIPTION: 'Dreh\u0301teil Ø 40 – 𝔸',
  ops: [{ n: 10, w: 'L1' }, null],
  gone: undefined,
};
const STORED_DIGESTS = {
  AUFNR: 'a0dfadad95324c10',
  GAMNG: 'd55fdf83f0ba7afe',
  STATUS: 'fd15f059a1d1c95f',
  DESCRIPTION: '63e32cfe9c2eee4e',
  ops: 'a1c146cf2d8c058a',
};

describe('field digests', () => {
  it('are the first 16 hex characters of sha256 over the canonical JSON, as stored rows hold them', () => {
    expect(digestOf('PP01')).toBe('d0b82c0f287706a8');
    expect(digestOf(42)).toBe('73475cb40a568e8d');
    expect(digestOf({ b: 1, a: 'e\u0301' })).toBe('aa58fba8483623be');
    expect(digestOf(undefined)).toBe(ABSENT);
    expect(fieldDigests(RECORD)).toEqual(STORED_DIGESTS);
  });

  it('are the same where Node has no one-shot hash and createHash is used', () => {
    const actual = jest.requireActual<typeof crypto>('node:crypto');
    const createHash = jest.fn(actual.createHash);
    let legacy: WrittenStateModule | undefined;
    jest.isolateModules(() => {
      jest.doMock('node:crypto', () => ({ ...actual, hash: undefined, createHash }));
      legacy = jest.requireActual<WrittenStateModule>('./written-state');
    });
    jest.dontMock('node:crypto');
    expect(legacy?.fieldDigests(RECORD)).toEqual(STORED_DIGESTS);
    expect(legacy?.digestOf('PP01')).toBe('d0b82c0f287706a8');
    expect(createHash).toHaveBeenCalledTimes(6);
  });
});
