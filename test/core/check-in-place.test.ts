import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { inPlaceCheck } from '../../src/core/check-in-place.js';
import { checksOnly } from '../../src/core/response-schema.js';
import * as fujitsu from '../../src/providers/fujitsu/schemas.js';
import * as illumio from '../../src/providers/illumio/schemas.js';
import * as informatica from '../../src/providers/informatica/schemas.js';
import * as socotra from '../../src/providers/socotra/schemas.js';
import * as tines from '../../src/providers/tines/schemas.js';

/** A small deterministic generator (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Def {
  type: string;
  shape?: Record<string, { _zod: { def: Def } }>;
  element?: { _zod: { def: Def } };
  innerType?: { _zod: { def: Def } };
  options?: ReadonlyArray<{ _zod: { def: Def } }>;
  getter?: () => { _zod: { def: Def } };
  values?: readonly unknown[];
  entries?: Record<string, unknown>;
}

const ODD_VALUES: readonly unknown[] = [undefined, null, 0, -1, 2.5, Infinity, Number.NaN, 2 ** 60, '', 'x', true, [], {}, [1], { a: 1 }];
const STRINGS = ['', 'a', 'Complete', '2026-11-23T10:00:00Z', '2026-11-23T10:00:00.123+00:00', '01HZX00000000000000000001', 'x'.repeat(300)];
const NUMBERS = [0, 1, 42, -3, 2.5, 1_700_000_000_000];

/**
 * A value shaped by the schema, wrong here and there: a field missing, `null`, of another type, an
 * array with an odd element. `noise` is the chance of each wrong turn.
 */
function sample(node: { _zod: { def: Def } }, next: () => number, noise: number, depth = 0): unknown {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  if (next() < noise) return pick(ODD_VALUES);
  const def = node._zod.def;
  switch (def.type) {
    case 'string':
      return pick(STRINGS);
    case 'number':
      return pick(NUMBERS);
    case 'boolean':
      return next() < 0.5;
    case 'literal':
    case 'enum':
      return next() < 0.9 ? pick(def.values ?? Object.values(def.entries ?? {})) : 'unexpected';
    case 'optional':
      return next() < 0.3 ? undefined : sample(def.innerType!, next, noise, depth);
    case 'nullable':
      return next() < 0.3 ? null : sample(def.innerType!, next, noise, depth);
    case 'lazy':
      return sample(def.getter!(), next, noise, depth);
    case 'array': {
      const length = depth > 4 ? 0 : Math.floor(next() * 4);
      return Array.from({ length }, () => sample(def.element!, next, noise, depth + 1));
    }
    case 'union':
      return sample(pick(def.options!), next, noise, depth);
    case 'object': {
      const value: Record<string, unknown> = { extra: pick(ODD_VALUES) };
      for (const [key, child] of Object.entries(def.shape ?? {})) {
        if (next() < noise) continue;
        value[key] = sample(child, next, noise, depth + 1);
      }
      return value;
    }
    default:
      return next() < 0.5 ? pick(ODD_VALUES) : { a: pick(STRINGS) };
  }
}

/** Every exported schema of the providers that only checks: the ones validated in place. */
const providerSchemas: Array<[string, z.ZodType]> = Object.entries({ socotra, tines, fujitsu, illumio, informatica }).flatMap(
  ([provider, module]) =>
    Object.entries(module)
      .filter((entry): entry is [string, z.ZodType] => entry[1] instanceof z.ZodType && checksOnly(entry[1]))
      .map(([name, schema]): [string, z.ZodType] => [`${provider}.${name}`, schema]),
);

describe('inPlaceCheck', () => {
  afterEach(() => {
    z.config({ jitless: false });
  });

  it('covers every response schema of the providers that only checks', () => {
    expect(providerSchemas.length).toBeGreaterThan(15);
    const uncovered = providerSchemas.filter(([, schema]) => inPlaceCheck(schema) === undefined).map(([name]) => name);
    expect(uncovered).toEqual([]);
  });

  it('gives the runtime parser’s verdict on thousands of bodies shaped by each schema, wrong here and there', () => {
    let accepted = 0;
    let refused = 0;
    for (const [name, schema] of providerSchemas) {
      const check = inPlaceCheck(schema) as (value: unknown) => boolean;
      const next = random(name.length * 7919);
      for (let i = 0; i < 600; i++) {
        const noise = i % 3 === 0 ? 0 : i % 3 === 1 ? 0.02 : 0.15;
        const body = sample(schema as unknown as { _zod: { def: Def } }, next, noise);
        const expected = schema.safeParse(body).success;
        if (check(body) !== expected) expect({ name, body, verdict: check(body) }).toEqual({ name, body, verdict: expected });
        if (expected) accepted += 1;
        else refused += 1;
      }
    }
    // Both verdicts are well represented, or the comparison would prove little.
    expect(accepted).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(1000);
  });

  it('follows string, number, literal and enum checks, recursion and lazy schemas like zod', () => {
    const tree: z.ZodType = z.looseObject({
      id: z.string().min(2).max(4),
      n: z.number().int().gte(0).lt(10).optional(),
      kind: z.enum(['a', 'b']).nullish(),
      tag: z.literal('t').optional(),
      code: z.string().regex(/^[A-Z]+$/g).optional(),
      get children() {
        return z.array(tree).optional();
      },
      next: z.lazy(() => tree).optional(),
    });
    const check = inPlaceCheck(tree);
    expect(check).toBeDefined();
    const bodies: unknown[] = [
      { id: 'ab' },
      { id: 'a' },
      { id: 'abcde' },
      { id: 'ab', n: 9 },
      { id: 'ab', n: 10 },
      { id: 'ab', n: -1 },
      { id: 'ab', n: 1.5 },
      { id: 'ab', kind: 'b' },
      { id: 'ab', kind: 'c' },
      { id: 'ab', kind: null },
      { id: 'ab', tag: 't' },
      { id: 'ab', tag: 'u' },
      { id: 'ab', code: 'AB' },
      { id: 'ab', code: 'AB' }, // twice: a global pattern must not carry `lastIndex` over
      { id: 'ab', code: 'ab' },
      { id: 'ab', children: [{ id: 'cd', children: [{ id: 'ef' }] }] },
      { id: 'ab', children: [{ id: 'cd', children: [{ id: 'e' }] }] },
      { id: 'ab', next: { id: 'cd', next: { id: 'x' } } },
      { id: 'ab', next: { id: 'cd', next: { id: 'xy' } } },
      [{ id: 'ab' }],
      null,
    ];
    for (const body of bodies) expect({ body, ok: check?.(body) }).toEqual({ body, ok: tree.safeParse(body).success });
  });

  it("agrees with zod where a plain reading of the schema would not: formats, enums, missing keys, code points", () => {
    enum Numeric {
      A,
      B,
    }
    const cases: Array<[z.ZodType, unknown[]]> = [
      [z.int(), [1, 1.5, 2 ** 53, 1e21]],
      [z.looseObject({ id: z.uuid() }), [{ id: 'nope' }, { id: '3f2b8a4e-9c1d-4e7f-8a6b-2c5d9e0f1a3b' }]],
      [z.looseObject({ at: z.iso.datetime() }), [{ at: 'soon' }, { at: '2026-11-01T00:00:00Z' }]],
      [z.enum(Numeric), [0, 1, 2, 'A', 'B']],
      [z.looseObject({ a: z.unknown() }), [{}, { a: undefined }, { a: 1 }]],
      [z.looseObject({ a: z.custom((value) => value === undefined || typeof value === 'string') }), [{}, { a: undefined }, { a: 'x' }]],
      [z.looseObject({ a: z.unknown().optional() }), [{}, { a: 1 }]],
      // A high surrogate before a unit past the low ones is no pair: two code points.
      [z.string().min(2), ['😀', '😀😀', 'ab', '\ud800', 'a', '\ud800\ue000']],
      [z.string().max(1), ['😀', 'ab', '\ud800\udc00\ud800', '\ud800\ue000']],
      [z.string().length(2), ['😀', '😀😀', 'ab', 'a😀']],
      // `undefined` given as a value, which a nullable schema refuses as zod does; `null` for `z.null()` only.
      [z.looseObject({ a: z.string().nullable() }), [{ a: undefined }, { a: null }, { a: 'x' }, {}]],
      [z.looseObject({ a: z.null() }), [{ a: null }, { a: 0 }, { a: undefined }, {}]],
      // An integer is a safe one; each bound strict or not as written.
      [z.number().int(), [1, 1.5, 2 ** 53, 2 ** 60]],
      [z.number().gt(0).lte(10), [-1, 0, 1, 10, 11]],
      // A union of no options takes nothing.
      [z.union([]), [1, undefined, {}]],
    ];
    for (const [schema, values] of cases) {
      const check = inPlaceCheck(schema);
      // Covered or left to zod, a schema is never judged otherwise than zod judges it.
      for (const value of values) if (check !== undefined) expect({ value, ok: check(value) }).toEqual({ value, ok: schema.safeParse(value).success });
    }
    // Format schemas are left to zod; the others are covered.
    expect(inPlaceCheck(z.int())).toBeUndefined();
    expect(inPlaceCheck(z.enum(Numeric))).toBeDefined();
    expect(inPlaceCheck(z.string().length(2))).toBeDefined();
  });

  it('leaves a schema whose getter builds a new level on every read to zod, instead of recursing forever', () => {
    const level = (): z.ZodType =>
      z.looseObject({
        id: z.string(),
        get next() {
          return level().optional();
        },
      });
    const schema = level();
    expect(inPlaceCheck(schema)).toBeUndefined();
    // Neither walk overflows the stack; what becomes of such a schema is zod's to say.
    expect(checksOnly(schema)).toBe(false);
  });

  it('leaves to zod what it does not cover', () => {
    expect(inPlaceCheck(z.looseObject({ a: z.string().email() }))).toBeUndefined();
    expect(inPlaceCheck(z.strictObject({ a: z.string() }))).toBeUndefined();
    expect(inPlaceCheck(z.tuple([z.string()]))).toBeUndefined();
    expect(inPlaceCheck(z.array(z.string()).min(1))).toBeUndefined();
    expect(inPlaceCheck(z.looseObject({ a: z.string().refine((value) => value !== 'x') }))).toBeUndefined();
  });

  it('steps aside under z.config({ jitless: true }) and where code generation is forbidden', () => {
    const schema = z.looseObject({ id: z.string() });
    z.config({ jitless: true });
    expect(inPlaceCheck(schema)).toBeUndefined();
    z.config({ jitless: false });
    expect(inPlaceCheck(schema)?.({ id: 'a' })).toBe(true);
    const script = [
      "const { z } = await import('zod');",
      "const { inPlaceCheck } = await import('./src/core/check-in-place.ts');",
      "const { responseCheck } = await import('./src/core/response-schema.ts');",
      "const schema = z.looseObject({ id: z.string() });",
      "console.log(JSON.stringify([inPlaceCheck(schema) === undefined, responseCheck(schema).run({ id: 'a' }).ok, responseCheck(schema).run({ id: 1 }).ok]));",
    ].join('\n');
    const out = execFileSync(process.execPath, ['--disallow-code-generation-from-strings', '--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('../..', import.meta.url),
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual([true, true, false]);
  });

  it('allocates nothing while it checks a large page', () => {
    const event = z.looseObject({ id: z.string(), n: z.number().nullish(), tags: z.array(z.unknown()).nullish(), at: z.string().optional() });
    const check = inPlaceCheck(z.array(event)) as (value: unknown) => boolean;
    const page = Array.from({ length: 10_000 }, (_, i) => ({ id: `e${i}`, n: i % 2 ? null : i, tags: ['a', 1], other: { deep: true } }));
    for (let i = 0; i < 20; i++) check(page); // optimized first
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 20; i++) expect(check(page)).toBe(true);
    // 200,000 events checked; zod's compiled validator made about 100 bytes for each of these.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(2 * 1024 * 1024);
  });
});
