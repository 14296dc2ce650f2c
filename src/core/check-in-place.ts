/**
 * A validator that allocates nothing, for the schemas that only check (`checksOnly`). zod's compiled
 * validator (`z.compile`) checks without building the output, but its generated code still makes a
 * closure for every optional field and copies every array of `unknown`: for an Illumio page that was
 * 340 bytes an event, half as much as `JSON.parse` itself, and the scavenges that go with it (bench/).
 *
 * This one generates the same kind of straight-line code (one function per object, so that recursion
 * works and V8 can inline the rest), without the closures and the copies. It covers the vocabulary
 * the providers' response schemas use: loose objects, arrays, unions, optional, nullable, lazy and
 * recursive getters, strings with length and pattern checks, numbers, booleans, literals, enums,
 * `custom` and `unknown`. For anything else, under `z.config({ jitless: true })`, or where code
 * generation is forbidden, it answers `undefined` and the caller keeps zod's validator; tests hold the
 * two to the same verdicts.
 */
import * as z from 'zod';
import type { CheckDef, SchemaNode } from './zod-def.js';

/** `true` when the value satisfies the schema. */
export type InPlaceCheck = (value: unknown) => boolean;

/** More objects than any response schema has: past it, the schema is left to zod. */
const MAX_FUNCTIONS = 500;

/** Thrown while generating, for a part of a schema this module does not cover. */
class Uncovered extends Error {}

/** The code points of `text`: its UTF-16 units less one for each surrogate pair. */
function codePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count -= 1;
        i += 1;
      }
    }
  }
  return count;
}

/** Whether a schema that is not optional may still take `undefined` (zod then refuses a missing key). */
function takesUndefined(node: SchemaNode): boolean {
  if (node._zod.optin === 'optional') return false;
  const type = node._zod.def.type;
  return type !== 'string' && type !== 'number' && type !== 'boolean' && type !== 'null' && type !== 'object' && type !== 'array' && type !== 'enum';
}

/** The allocation-free validator of `schema`, or `undefined` when zod's own must do. */
export function inPlaceCheck(schema: z.ZodType): InPlaceCheck | undefined {
  if (z.config().jitless === true) return undefined;
  try {
    return generate(schema as unknown as SchemaNode);
  } catch (error) {
    // Uncovered, or `new Function` refused (`--disallow-code-generation-from-strings`, a strict CSP).
    if (error instanceof Uncovered || error instanceof EvalError) return undefined;
    throw error;
  }
}

function generate(root: SchemaNode): InPlaceCheck {
  /** Values the generated code refers to: custom checks, patterns, allowed literals. */
  const constants: unknown[] = [];
  const functions: string[] = [];
  const functionOf = new Map<SchemaNode, number>();
  let names = 0;

  const constant = (value: unknown): string => `k[${constants.push(value) - 1}]`;
  const fresh = (): string => `v${(names += 1)}`;

  /** The index of the generated function that checks `node`, generating it on first use. */
  const functionFor = (node: SchemaNode): number => {
    const known = functionOf.get(node);
    if (known !== undefined) return known;
    // A getter that builds a new schema on every read never comes back to a node already seen.
    if (functions.length >= MAX_FUNCTIONS) throw new Uncovered();
    const index = functions.push('') - 1;
    functionOf.set(node, index);
    functions[index] = `function f${index}(v0) {\n${statements(node, 'v0', true)}return true;\n}`;
    return index;
  };

  /** Statements that `return false` unless `x` satisfies `node`. `own`: this is `node`'s own function. */
  const statements = (node: SchemaNode, x: string, own = false): string => {
    const def = node._zod.def;
    const checks = (def.checks ?? []).map((check) => check._zod.def);
    // A format schema (`z.int()`, `z.uuid()`) keeps its format in its own definition, not in `checks`.
    if (def.coerce === true || def.format !== undefined) throw new Uncovered();
    const fail = (condition: string): string => `if (${condition}) return false;\n`;
    const plain = (code: string): string => {
      if (checks.length > 0) throw new Uncovered();
      return code;
    };
    switch (def.type) {
      case 'unknown':
      case 'any':
        return plain('');
      case 'string':
        return fail(`typeof ${x} !== "string"`) + checks.map((check) => stringCheck(check, x)).join('');
      case 'number':
        return fail(`typeof ${x} !== "number" || !Number.isFinite(${x})`) + checks.map((check) => numberCheck(check, x)).join('');
      case 'boolean':
        return plain(fail(`typeof ${x} !== "boolean"`));
      case 'null':
        return plain(fail(`${x} !== null`));
      case 'literal':
      case 'enum':
        // zod's own set: a numeric TypeScript enum's entries also hold its reverse names ("A" for 0).
        if (!(node._zod.values instanceof Set)) throw new Uncovered();
        return plain(fail(`!${constant(node._zod.values)}.has(${x})`));
      case 'custom':
        // zod's custom check: a truthy answer accepts.
        if (def.fn === undefined) throw new Uncovered();
        return plain(fail(`!${constant(def.fn)}(${x})`));
      case 'optional':
        return plain(`if (${x} !== undefined) {\n${statements(inner(def.innerType), x)}}\n`);
      case 'nullable':
        return plain(`if (${x} !== null) {\n${statements(inner(def.innerType), x)}}\n`);
      case 'lazy':
        if (def.getter === undefined) throw new Uncovered();
        return plain(call(def.getter(), x));
      case 'array': {
        const i = fresh();
        const element = fresh();
        return plain(
          fail(`!Array.isArray(${x})`) +
            `for (let ${i} = 0; ${i} < ${x}.length; ${i}++) {\nconst ${element} = ${x}[${i}];\n${statements(inner(def.element), element)}}\n`,
        );
      }
      case 'union':
        return plain(fail(`!(${(def.options ?? []).map((option) => `f${functionFor(option)}(${x})`).join(' || ') || 'false'})`));
      case 'object': {
        // A loose object only: its unknown keys are kept and not checked.
        if (def.catchall?._zod.def.type !== 'unknown') throw new Uncovered();
        // Inside another function: one call, so that recursion terminates and V8 can inline it.
        if (!own) return plain(call(node, x));
        let code = fail(`typeof ${x} !== "object" || ${x} === null || Array.isArray(${x})`);
        // Reading `shape` runs the getters of a recursive schema.
        for (const [key, child] of Object.entries(def.shape ?? {})) {
          const value = fresh();
          code += `const ${value} = ${x}[${JSON.stringify(key)}];\n`;
          // zod refuses a missing key unless its schema is optional, even one that takes `undefined`
          // (`z.unknown()`); the others refuse `undefined` anyway.
          if (takesUndefined(child)) code += fail(`${value} === undefined && !(${JSON.stringify(key)} in ${x})`);
          code += statements(child, value);
        }
        return plain(code);
      }
      default:
        throw new Uncovered();
    }
  };

  const call = (node: SchemaNode, x: string): string => `if (!f${functionFor(node)}(${x})) return false;\n`;

  const inner = (node: SchemaNode | undefined): SchemaNode => {
    if (node === undefined) throw new Uncovered();
    return node;
  };

  // zod counts a string's length in code points; `length` counts UTF-16 units, one or two a code point,
  // so the count is needed only where the two could disagree about the bound.
  const stringCheck = (check: CheckDef, x: string): string => {
    const points = (): string => `${constant(codePoints)}(${x})`;
    switch (check.check) {
      case 'min_length': {
        const min = Number(check.minimum);
        return `if (${x}.length < ${min} || (${x}.length < ${2 * min} && ${points()} < ${min})) return false;\n`;
      }
      case 'max_length': {
        const max = Number(check.maximum);
        return `if (${x}.length > ${max} && ${points()} > ${max}) return false;\n`;
      }
      case 'length_equals': {
        const length = Number(check.length);
        return `if (${x}.length < ${length} || ${x}.length > ${2 * length} || ${points()} !== ${length}) return false;\n`;
      }
      case 'string_format': {
        if (check.format !== 'regex' || !(check.pattern instanceof RegExp)) throw new Uncovered();
        const pattern = constant(check.pattern);
        // A global or sticky pattern would carry `lastIndex` from one string to the next.
        return `${pattern}.lastIndex = 0;\nif (!${pattern}.test(${x})) return false;\n`;
      }
      default:
        throw new Uncovered();
    }
  };

  const numberCheck = (check: CheckDef, x: string): string => {
    if (check.check === 'number_format' && check.format === 'safeint') return `if (!Number.isSafeInteger(${x})) return false;\n`;
    if (typeof check.value !== 'number' || !Number.isFinite(check.value)) throw new Uncovered();
    const strict = check.inclusive !== true;
    if (check.check === 'greater_than') return `if (${x} ${strict ? '<=' : '<'} ${check.value}) return false;\n`;
    if (check.check === 'less_than') return `if (${x} ${strict ? '>=' : '>'} ${check.value}) return false;\n`;
    throw new Uncovered();
  };

  const entry = functionFor(root);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the point: straight-line code, made once per schema
  const make = new Function('k', `"use strict";\n${functions.join('\n')}\nreturn f${entry};`) as (k: unknown[]) => InPlaceCheck;
  return make(constants);
}
