import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { TaktError } from '../errors';
import { canonicalJson, compareCodePoints, contentHash, diffFields } from './content-hash';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return TaktError.is(error) ? error.code : 'not a TaktError';
  }
  return undefined;
}

describe('canonicalJson', () => {
  it('sorts keys, drops undefined fields and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: [3, 1, 2], c: undefined, d: { z: null, y: true } })).toBe(
      '{"a":[3,1,2],"b":1,"d":{"y":true,"z":null}}',
    );
  });

  it('writes undefined array elements as null so later elements keep their position', () => {
    expect(canonicalJson([1, undefined, 3])).toBe('[1,null,3]');
  });

  it('writes numbers in shortest round-trip form and -0 as 0', () => {
    expect(canonicalJson([1.5, 0.1 + 0.2, -0, 1e21, 1e-7, 100, 2 ** 53])).toBe(
      '[1.5,0.30000000000000004,0,1e+21,1e-7,100,9007199254740992]',
    );
  });

  it('keeps decimal strings as written: "1.50" and "1.5" differ', () => {
    expect(canonicalJson({ q: '1.50' })).toBe('{"q":"1.50"}');
    expect(contentHash({ q: '1.50' })).not.toBe(contentHash({ q: '1.5' }));
  });

  it('normalises strings and keys to NFC', () => {
    const nfd = 'Bend 90° – Pre\u0301sse';
    const nfc = 'Bend 90° – Présse';
    expect(nfd).not.toBe(nfc);
    expect(canonicalJson({ [`cafe\u0301`]: nfd })).toBe(`{"café":"${nfc}"}`);
  });

  it('sorts keys by code point, not by UTF-16 code unit', () => {
    // U+FF61 sorts after U+1F600 by code unit (0xFF61 > 0xD83D) but before it by code point.
    const emoji = '\u{1F600}';
    const halfwidth = '\uFF61';
    expect(compareCodePoints(halfwidth, emoji)).toBeLessThan(0);
    expect([emoji, halfwidth].sort()).toEqual([emoji, halfwidth]);
    expect(canonicalJson({ [emoji]: 1, [halfwidth]: 2 })).toBe(`{"${halfwidth}":2,"${emoji}":1}`);
    expect(compareCodePoints('ab', 'a')).toBeGreaterThan(0);
    expect(compareCodePoints('a', 'a')).toBe(0);
  });

  it('refuses values JSON cannot carry, naming where', () => {
    expect(codeOf(() => canonicalJson({ q: Number.NaN }))).toBe('RECORD_INVALID');
    expect(codeOf(() => canonicalJson({ a: [{ q: Infinity }] }))).toBe('RECORD_INVALID');
    expect(() => canonicalJson({ a: [{ q: Infinity }] })).toThrow('at a.0.q');
    expect(codeOf(() => canonicalJson({ at: new Date(0) }))).toBe('RECORD_INVALID');
    expect(codeOf(() => canonicalJson({ n: BigInt(1) }))).toBe('RECORD_INVALID');
    expect(codeOf(() => canonicalJson({ [`cafe\u0301`]: 1, café: 2 }))).toBe('RECORD_INVALID');
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(codeOf(() => canonicalJson(cyclic))).toBe('RECORD_INVALID');
  });

  it('accepts the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: [shared] })).toBe('{"a":{"x":1},"b":[{"x":1}]}');
  });
});

describe('contentHash', () => {
  it('is sha256 hex of the canonical JSON', () => {
    expect(contentHash({ b: 2, a: 1 })).toBe(sha256('{"a":1,"b":2}'));
    expect(contentHash({ b: 2, a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is independent of key order at every depth', () => {
    const a = { external_id: '1', quantity: '5', extra: { x: 1, y: [{ p: 1, q: 2 }] } };
    const b = { extra: { y: [{ q: 2, p: 1 }], x: 1 }, quantity: '5', external_id: '1' };
    expect(contentHash(a)).toBe(contentHash(b));
  });

  it('changes when a nested value or the array order changes', () => {
    const base = contentHash({ extra: { y: [1, 2] } });
    expect(contentHash({ extra: { y: [2, 1] } })).not.toBe(base);
    expect(contentHash({ extra: { y: [1, 3] } })).not.toBe(base);
    expect(contentHash({ extra: { y: [1, 2], z: null } })).not.toBe(base);
    expect(contentHash({ extra: { y: [1, 2], z: undefined } })).toBe(base);
  });

  it('hashes NFC and NFD spellings of a text alike', () => {
    expect(contentHash({ name: 'Fr\u00e4se' })).toBe(contentHash({ name: 'Fra\u0308se' }));
  });

  it('does not depend on key insertion order (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(contentHash(reversed)).toBe(contentHash(record));
      }),
    );
  });

  it('reads back to an equal value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
  });
});

/**
 * The canonical JSON rules written the plain way, as the writer first did them: a path copied per field, every
 * string and key through NFC, keys sorted by code point. The writer skips work for ASCII text and surrogate-free
 * keys; it must still write every value, and refuse every value, exactly as this does.
 */
function referenceCanonicalJson(value: unknown, path: readonly string[] = [], seen = new Set<object>()): string {
  const refuse = (reason: string): Error => {
    const where = path.length > 0 ? path.join('.') : '(record)';
    return new Error(`Cannot hash the record: at ${where}, ${reason}.`);
  };
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.normalize('NFC'));
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw refuse(`${String(value)} is not a JSON number`);
    return Object.is(value, -0) ? '0' : String(value);
  }
  if (typeof value !== 'object') throw refuse(`a ${typeof value} is not a JSON value`);
  if (seen.has(value)) throw refuse('the value contains itself (a cycle)');
  seen.add(value);
  let text: string;
  if (Array.isArray(value)) {
    const elements: unknown[] = value;
    const written = elements.map((element, index) =>
      element === undefined ? 'null' : referenceCanonicalJson(element, [...path, String(index)], seen),
    );
    text = `[${written.join(',')}]`;
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw refuse('not plain');
    const entries = new Map<string, unknown>();
    for (const [rawKey, field] of Object.entries(value)) {
      if (field === undefined) continue;
      const key = rawKey.normalize('NFC');
      if (entries.has(key)) throw refuse(`keys "${key}" appear twice once normalised to NFC`);
      entries.set(key, field);
    }
    const sorted = [...entries].sort(([a], [b]) => {
      const x = Array.from(a, (c) => c.codePointAt(0) ?? 0);
      const y = Array.from(b, (c) => c.codePointAt(0) ?? 0);
      for (let i = 0; i < Math.min(x.length, y.length); i += 1) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
      return x.length - y.length;
    });
    text = `{${sorted.map(([key, field]) => `${JSON.stringify(key)}:${referenceCanonicalJson(field, [...path, key], seen)}`).join(',')}}`;
  }
  seen.delete(value);
  return text;
}

function outcome(write: () => string): string {
  try {
    return `ok ${write()}`;
  } catch (error) {
    return `refused ${error instanceof Error ? error.message : String(error)}`;
  }
}

describe('canonicalJson against the plain reference', () => {
  // Pieces that exercise each shortcut's edge: ASCII and escapes, NFC/NFD pairs (é, Å and the Ångström sign,
  // which NFC maps to Å), astral characters against U+E000–U+FFFF (where UTF-16 order differs from
  // code-point order), and a lone surrogate.
  const piece = fc.constantFrom(
    'a',
    'B',
    'z',
    '0',
    '"',
    '\\',
    '\n',
    '\u007f',
    'é',
    'e\u0301',
    'Å',
    'A\u030a',
    '\u212b',
    'ß',
    '\u00e4',
    '\u{1d538}',
    '\u{1f600}',
    '\uff21',
    '\ue000',
    '\ud800',
    'Ω',
    '\u2126',
  );
  const text = fc.string({ unit: piece, maxLength: 4 });
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      text,
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(text, tie('value'), { maxKeys: 5 }),
    ),
  }));

  it('writes and refuses exactly as the reference does (property)', () => {
    fc.assert(
      fc.property(value, (input) => {
        expect(outcome(() => canonicalJson(input))).toBe(outcome(() => referenceCanonicalJson(input)));
      }),
      { numRuns: 2_000 },
    );
  });

  it('agrees on records of ASCII and of any Unicode text (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ stringUnit: 'binary' })), (record) =>
        expect(canonicalJson(record)).toBe(referenceCanonicalJson(record)),
      ),
      { numRuns: 500 },
    );
  });
});

describe('diffFields', () => {
  it('lists changed, added and removed fields with old and new values, sorted by path', () => {
    expect(
      diffFields(
        { quantity: '5', status: 'released', unit: 'PC', plant: '1710' },
        { quantity: '6', status: 'released', plant: '1710', description: 'new' },
      ),
    ).toEqual([
      { path: 'description', before: undefined, after: 'new' },
      { path: 'quantity', before: '5', after: '6' },
      { path: 'unit', before: 'PC', after: undefined },
    ]);
  });

  it('descends into nested objects and compares arrays whole', () => {
    expect(
      diffFields({ extra: { a: 1, b: { c: 'x' }, list: [1, 2] } }, { extra: { a: 1, b: { c: 'y' }, list: [1, 2, 3] } }),
    ).toEqual([
      { path: 'extra.b.c', before: 'x', after: 'y' },
      { path: 'extra.list', before: [1, 2], after: [1, 2, 3] },
    ]);
  });

  it('uses the hash rules for equality: NFC, -0 and undefined are no change, null vs absent is', () => {
    expect(diffFields({ a: 'Fr\u00e4se', b: 0, c: undefined }, { a: 'Fra\u0308se', b: -0 })).toEqual([]);
    expect(diffFields({ a: 1 }, { a: 1, b: null })).toEqual([{ path: 'b', before: undefined, after: null }]);
  });

  it('compares own fields only: a field named like an Object method is just a field', () => {
    expect(diffFields({}, { valueOf: 0 })).toEqual([{ path: 'valueOf', before: undefined, after: 0 }]);
    expect(diffFields({ toString: 'a' }, {})).toEqual([{ path: 'toString', before: 'a', after: undefined }]);
  });

  it('reports a type change at the field, not inside it', () => {
    expect(diffFields({ a: { x: 1 } }, { a: [1] })).toEqual([{ path: 'a', before: { x: 1 }, after: [1] }]);
    expect(diffFields({ a: { x: 1 } }, { a: { x: 1 } })).toEqual([]);
  });

  it('finds no change exactly when the hashes agree (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.dictionary(fc.string(), fc.jsonValue()), (a, b) => {
        expect(diffFields(a, b).length === 0).toBe(contentHash(a) === contentHash(b));
      }),
    );
  });
});
