/**
 * How a response schema runs. zod's runtime parser builds a fresh copy of every object it checks, and
 * for a page of a thousand events that copy, not the checks, was most of the schema's cost: it doubled
 * what the young generation had to carry (bench/, scenario 1). So each schema is compiled once
 * (`z.compile`, https://zod.dev) and, when it only checks (no transform, default or coercion anywhere
 * in it), the parsed JSON is validated in place and handed on as it is: the result is the same value
 * the copy would have been, without the copy. Such a schema is checked by `inPlaceCheck`, which
 * allocates nothing, when it is made of what that covers; by zod's compiled validator otherwise.
 *
 * Both steps fall back quietly: a schema `z.compile` cannot model keeps the runtime parser, and
 * `z.config({ jitless: true })` (for hosts that forbid `new Function`) skips compilation altogether.
 */
import * as z from 'zod';
import { inPlaceCheck } from './check-in-place.js';
import type { SchemaNode } from './zod-def.js';

/** A response schema, ready to run. */
export interface ResponseCheck {
  /** `{ ok: true, data }` with the validated value, or `{ ok: false }` (ask the runtime parser for issues). */
  run(data: unknown): { ok: true; data: unknown } | { ok: false };
}

const prepared = new WeakMap<z.ZodType, ResponseCheck>();

/** The prepared form of `schema`, built on first use and kept as long as the schema lives. */
export function responseCheck(schema: z.ZodType): ResponseCheck {
  let check = prepared.get(schema);
  if (check === undefined) {
    check = prepare(schema);
    prepared.set(schema, check);
  }
  return check;
}

function prepare(schema: z.ZodType): ResponseCheck {
  const compile = (one: z.ZodType): z.ZodType => (z.config().jitless === true ? one : z.compile(one));
  if (checksOnly(schema)) {
    const inPlace = inPlaceCheck(schema);
    if (inPlace !== undefined) return { run: (data) => (inPlace(data) ? { ok: true, data } : { ok: false }) };
    // A compiled union builds a copy of the branch that accepts, even to validate: a body in one of
    // several forms (a bare list or a page object) is checked against each form on its own instead.
    const forms = unionOptions(schema)?.map(compile) ?? [compile(schema)];
    return { run: (data) => (forms.some((form) => form.validate(data)) ? { ok: true, data } : { ok: false }) };
  }
  const fast = compile(schema);
  return {
    run: (data) => {
      const result = fast.safeParse(data);
      return result.success ? { ok: true, data: result.data } : { ok: false };
    },
  };
}

/** The options of a top-level `z.union`, as zod types. */
function unionOptions(schema: z.ZodType): z.ZodType[] | undefined {
  const def = (schema as unknown as SchemaNode)._zod.def;
  return def.type === 'union' && def.options !== undefined ? (def.options as unknown as z.ZodType[]) : undefined;
}

/** Kinds whose output is their input when they accept it (and whose children are checked below). */
const PASS_THROUGH = new Set([
  'string', 'number', 'int', 'boolean', 'bigint', 'symbol', 'null', 'undefined', 'void', 'never', 'any',
  'unknown', 'date', 'nan', 'literal', 'enum', 'template_literal', 'custom', 'file',
  'object', 'array', 'tuple', 'union', 'optional', 'nullable', 'nonoptional', 'lazy',
]);

/** More schema nodes than any response schema has. */
const MAX_NODES = 5000;

/**
 * Whether `schema`'s output is always its input, unchanged. Conservative: any kind not known to pass
 * its input through (a transform, a pipe, a default, a coercion, `readonly`'s freeze, a `z.object` that strips
 * unknown keys, an overwriting check such as `.trim()`) answers no.
 */
export function checksOnly(schema: z.ZodType): boolean {
  const visiting = new Set<SchemaNode>();
  const walk = (node: SchemaNode): boolean => {
    // A recursive schema comes back to itself: what is being checked further up answers for it.
    if (visiting.has(node)) return true;
    // A getter that builds a new schema on every read never comes back: too large to tell, so no.
    if (visiting.size >= MAX_NODES) return false;
    visiting.add(node);
    const def = node._zod.def;
    if (!PASS_THROUGH.has(def.type) || def.coerce === true) return false;
    if (def.checks?.some((check) => check._zod.def.check === 'overwrite')) return false;
    switch (def.type) {
      case 'object':
        // Without a catchall, `z.object` drops the keys it does not know: its output is a copy.
        return def.catchall !== undefined && walk(def.catchall) && Object.values(def.shape ?? {}).every(walk);
      case 'array':
        return def.element !== undefined && walk(def.element);
      case 'tuple':
        return (def.items ?? []).every(walk) && (def.rest == null || walk(def.rest));
      case 'union':
        return (def.options ?? []).every(walk);
      case 'optional':
      case 'nullable':
      case 'nonoptional':
        return def.innerType !== undefined && walk(def.innerType);
      case 'lazy':
        return def.getter !== undefined && walk(def.getter());
      default:
        return true;
    }
  };
  return walk(schema as unknown as SchemaNode);
}
