/**
 * zod issues as `path: message` lines, the form `ResponseValidationError.issues` promises
 * (`events[0].id: Invalid input: expected string, received undefined`).
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** `input`: the value `error` is about, where a check that stands for a schema is to be explained (`STANDS_FOR`). */
export function validationIssues(error: z.ZodError, input?: unknown): string[] {
  return error.issues.flatMap((issue) => lines(issue, [], input));
}

/**
 * The `params` member of a `z.custom` check that answers for a whole schema (a recursive one a compiled
 * schema cannot hold, Informatica's child events past the levels written out): it only says yes or no,
 * so its failure is explained by that schema's own issues on the same value, each naming its field.
 */
export const STANDS_FOR = 'standsFor';

/**
 * A union that failed says only "Invalid input" at its own path; the useful issues are those of the
 * branches that had the body's form (an array where an array was expected), so those are reported,
 * each under the union's path. A branch that failed on the form itself says nothing about the body.
 * `base`: the value at `prefix`, when known.
 */
function lines(issue: Issue, prefix: readonly PropertyKey[], base: unknown): string[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'custom') {
    const schema = issue.params?.[STANDS_FOR] as z.ZodType | undefined;
    const value = valueAt(base, issue.path);
    const result = schema === undefined || value === undefined ? undefined : schema.safeParse(value);
    if (result?.success === false) return result.error.issues.flatMap((inner) => lines(inner, path, value));
  }
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const relevant = issue.errors.filter((branch) => !branch.every(wrongForm));
    const at = valueAt(base, issue.path);
    if (relevant.length > 0) return relevant.flatMap((branch) => branch.flatMap((inner) => lines(inner, path, at)));
    const expected = issue.errors.flatMap((branch) => branch.map((inner) => (inner.code === 'invalid_type' ? inner.expected : inner.code)));
    return [`${formatPath(path)}: Invalid input: expected one of ${[...new Set(expected)].join(', ')}`];
  }
  return [`${formatPath(path)}: ${issue.message}`];
}

/** The member of `value` at `path`; `undefined` where there is none. */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

function wrongForm(issue: Issue): boolean {
  return issue.path.length === 0 && issue.code === 'invalid_type';
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === '' ? '(root)' : out;
}
