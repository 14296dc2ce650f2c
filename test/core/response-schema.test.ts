import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checksOnly, responseCheck } from '../../src/core/response-schema.js';

const event = z.looseObject({ id: z.string(), n: z.number().int().nullish(), tags: z.array(z.string()).optional() });

describe('checksOnly', () => {
  it('says yes for schemas whose output is their input', () => {
    expect(checksOnly(event)).toBe(true);
    expect(checksOnly(z.union([z.array(event), event]))).toBe(true);
    expect(checksOnly(z.strictObject({ a: z.string() }))).toBe(true);
    expect(checksOnly(z.custom<string>((value) => typeof value === 'string'))).toBe(true);
    expect(checksOnly(z.tuple([z.string()], z.number()))).toBe(true);
    const tree: z.ZodType = z.looseObject({ id: z.string(), get children() { return z.array(tree).optional(); } });
    expect(checksOnly(tree)).toBe(true);
    expect(checksOnly(z.lazy(() => event))).toBe(true);
  });

  it('says no for anything that builds another value', () => {
    expect(checksOnly(z.object({ a: z.string() }))).toBe(false); // strips unknown keys
    expect(checksOnly(z.looseObject({ a: z.string().transform((v) => v.length) }))).toBe(false);
    expect(checksOnly(z.preprocess((v) => v ?? [], z.array(z.string())))).toBe(false);
    expect(checksOnly(z.looseObject({ a: z.string().default('x') }))).toBe(false);
    expect(checksOnly(z.looseObject({ a: z.string().trim() }))).toBe(false);
    expect(checksOnly(z.looseObject({ a: z.string() }).readonly())).toBe(false);
    expect(checksOnly(z.coerce.number())).toBe(false);
    expect(checksOnly(z.record(z.string(), z.number()))).toBe(false);
    expect(checksOnly(z.object({ id: z.string() }).catchall(z.string().transform((v) => v.length)))).toBe(false);
    expect(checksOnly(z.tuple([z.string()], z.string().trim()))).toBe(false);
    expect(checksOnly(z.lazy(() => z.string().trim()))).toBe(false);
    expect(checksOnly(z.array(z.looseObject({ a: z.string().catch('x') })))).toBe(false);
  });
});

describe('responseCheck', () => {
  afterEach(() => {
    z.config({ jitless: false });
  });

  it('hands a valid body on as it is when the schema only checks, without a copy', () => {
    const body = { id: 'a', n: 1, extra: { deep: true } };
    const result = responseCheck(event).run(body);
    expect(result).toEqual({ ok: true, data: body });
    expect(result.ok && result.data).toBe(body);
  });

  it('checks a body in one of several forms against each form, in place', () => {
    const list = responseCheck(z.union([z.array(event), z.looseObject({ events: z.array(event) })]));
    for (const body of [[{ id: 'a' }], { events: [{ id: 'b' }], more: 1 }]) {
      const result = list.run(body);
      expect(result.ok && result.data).toBe(body);
    }
    expect(list.run({ events: [{ id: 1 }] })).toEqual({ ok: false });
    expect(list.run('page')).toEqual({ ok: false });
  });

  it('accepts a body in any one of several forms that only zod can check (a format), as it is', () => {
    const item = z.looseObject({ id: z.uuid() });
    const list = responseCheck(z.union([z.array(item), z.looseObject({ items: z.array(item) })]));
    const id = '0b5ad6c4-6f3e-4c1a-9d2b-7e8f9a0b1c2d';
    for (const body of [[{ id }], { items: [{ id }], more: 1 }]) {
      const result = list.run(body);
      expect(result.ok && result.data).toBe(body);
    }
    expect(list.run([{ id: 'not-a-uuid' }])).toEqual({ ok: false });
  });

  it('parses (a copy, transformed) when the schema rewrites', () => {
    const schema = z.looseObject({ id: z.string().transform((id) => id.toUpperCase()) });
    const body = { id: 'a', extra: 1 };
    const result = responseCheck(schema).run(body);
    expect(result).toEqual({ ok: true, data: { id: 'A', extra: 1 } });
    expect(body.id).toBe('a');
  });

  it('says no for a body that does not match, in both forms', () => {
    expect(responseCheck(event).run({ id: 1 })).toEqual({ ok: false });
    expect(responseCheck(event).run([{ id: 'a' }])).toEqual({ ok: false });
    const rewriting = z.looseObject({ id: z.string().transform((id) => id.length) });
    expect(responseCheck(rewriting).run({ id: 2 })).toEqual({ ok: false });
  });

  it('prepares a schema once', () => {
    const schema = z.looseObject({ id: z.string() });
    expect(responseCheck(schema)).toBe(responseCheck(schema));
  });

  it('works without code generation under z.config({ jitless: true })', () => {
    z.config({ jitless: true });
    const schema = z.looseObject({ id: z.string(), n: z.number() });
    const body = { id: 'a', n: 2 };
    expect(responseCheck(schema).run(body)).toEqual({ ok: true, data: body });
    expect(responseCheck(schema).run({ id: 'a', n: '2' })).toEqual({ ok: false });
  });

  it('agrees with the runtime parser on random bodies', () => {
    const samples: unknown[] = [
      { id: 'x' },
      { id: 'x', n: null },
      { id: 'x', n: 1.5 },
      { id: 'x', tags: ['a', 2] },
      { id: 'x', tags: null },
      { n: 1 },
      null,
      'id',
      { id: 'x', __proto__: { polluted: true } },
    ];
    for (const sample of samples) {
      const result = responseCheck(event).run(sample);
      expect(result.ok).toBe(event.safeParse(sample).success);
    }
  });
});

describe('the providers’ listing schemas', () => {
  it('only check, and compile, so that every page is validated in place on the fast path', async () => {
    const schemas: Record<string, z.ZodType> = {
      socotra: (await import('../../src/providers/socotra/schemas.js')).socotraEventStreamSchema,
      tines: (await import('../../src/providers/tines/schemas.js')).tinesEventListSchema,
      fujitsu: (await import('../../src/providers/fujitsu/schemas.js')).eventListSchema,
      illumio: (await import('../../src/providers/illumio/schemas.js')).eventListSchema,
      informatica: (await import('../../src/providers/informatica/schemas.js')).informaticaEventListSchema,
    };
    for (const [provider, schema] of Object.entries(schemas)) {
      expect({ provider, checksOnly: checksOnly(schema) }).toEqual({ provider, checksOnly: true });
      expect(() => z.compile(schema, { strict: true }), provider).not.toThrow();
    }
  });
});
