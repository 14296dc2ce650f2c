/**
 * zod issues as `path: message` lines, the form `ResponseValidationError.issues` promises
 * (`events[0].id: Invalid input: expected string, received undefined`).
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

export function validationIssues(error: z.ZodError): string[] {
  return error.issues.flatMap((issue) => lines(issue, []));
}

/**
 * A union that failed says only "Invalid input" at its own path; the useful issues are those of the
 * branches that had the body's form (an array where an array was expected), so those are reported,
 * each under the union's path. A branch that failed on the form itself says nothing about the body.
 */
function lines(issue: Issue, prefix: readonly PropertyKey[]): string[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const relevant = issue.errors.filter((branch) => !branch.every(wrongForm));
    if (relevant.length > 0) return relevant.flatMap((branch) => branch.flatMap((inner) => lines(inner, path)));
    const expected = issue.errors.flatMap((branch) => branch.map((inner) => (inner.code === 'invalid_type' ? inner.expected : inner.code)));
    return [`${formatPath(path)}: Invalid input: expected one of ${[...new Set(expected)].join(', ')}`];
  }
  return [`${formatPath(path)}: ${issue.message}`];
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
