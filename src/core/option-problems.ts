/**
 * The problems of one options object, found in one pass: each option's check runs even after another
 * option was refused, and one `ConfigurationError` names them all, so that a user fixes them in one
 * run rather than one a run.
 *
 * @example
 * const problems = new OptionProblems();
 * const token = problems.check(() => requireCredential(options.token, 'token', 'token'));
 * if (!problems.refused('authScheme')) problems.check(() => relateEmail(options));
 * problems.throwIfAny();
 */
import { ConfigurationError, isConfigurationError, type ConfigurationErrorReason, type ConfigurationProblem } from './errors.js';

/** The error that refuses `option`: `Invalid option \`name\`: why`. */
export function optionError(option: string, message: string, reason: ConfigurationErrorReason = 'invalid'): ConfigurationError {
  return new ConfigurationError(`${lead(option)}${message}`, { option, reason });
}

/** What the message refusing `option` says before why: `problemsError` reads the why back after it. */
const lead = (option: string): string => `Invalid option \`${option}\`: `;

export class OptionProblems {
  readonly #errors: ConfigurationError[] = [];

  /**
   * `check`'s value, or `undefined` when it refuses an option: its `ConfigurationError` is kept for
   * `throwIfAny`. Any other error is thrown at once.
   */
  check<T>(check: () => T): T | undefined {
    try {
      return check();
    } catch (error) {
      if (!isConfigurationError(error)) throw error;
      this.#errors.push(error);
      return undefined;
    }
  }

  /** Keeps the refusal of `option`, as `invalidOption` would throw it; `undefined`, as `check` gives for one. */
  refuse(option: string, message: string, reason?: ConfigurationErrorReason): undefined {
    this.#errors.push(optionError(option, message, reason));
    return undefined;
  }

  /**
   * Whether one of `options`, or a member of one (`retry.minDelay` of `retry`), was refused: a check
   * that relates an option to it would say nothing useful, or mislead.
   */
  refused(...options: readonly string[]): boolean {
    return this.#errors.some((error) =>
      error.problems.some(({ option }) => option !== undefined && options.some((name) => option === name || option.startsWith(`${name}.`))),
    );
  }

  /**
   * Throws the problems found: one as its own error, several as one error that lists each message,
   * separated by `; `, and names the first as its `option` and `reason`.
   */
  throwIfAny(): void {
    const [first, ...others] = this.#errors;
    if (first === undefined) return;
    if (others.length === 0) throw first;
    throw problemsError(this.#errors.flatMap((error) => error.problems), { provider: first.provider, operation: first.operation });
  }
}

/**
 * One error for several problems: each one's message, separated by `; `, the first's `option` and
 * `reason`. Problems that say the same of several options, as unknown names each with the names
 * expected, are said once, naming them all (`Invalid options \`foo\`, \`bar\`: unknown option; expected
 * one of ...`): the list, repeated for each, buried the names. `hint` adds to a problem where to fix it,
 * after its own message and after the one said of several, each named by its option.
 */
export function problemsError(
  problems: readonly ConfigurationProblem[],
  context: Pick<ConfigurationError, 'provider' | 'operation'>,
  hint: (problem: ConfigurationProblem) => string | undefined = () => undefined,
): ConfigurationError {
  // A problem said in another form is said alone: it is its own key.
  const groups = new Map<ConfigurationProblem | string, ConfigurationProblem[]>();
  for (const problem of problems) {
    const why = whyOf(problem);
    const key = why === undefined ? problem : `${problem.reason}:${why}`;
    groups.set(key, [...(groups.get(key) ?? []), problem]);
  }
  const said = [...groups.values()].map((group) => {
    const [first] = group as [ConfigurationProblem, ...ConfigurationProblem[]];
    if (group.length === 1) return withHint(first.message, hint(first));
    const hints = group.flatMap((problem) => {
      const where = hint(problem);
      return where === undefined ? [] : [`\`${String(problem.option)}\`: ${where}`];
    });
    const names = group.map(({ option }) => `\`${String(option)}\``).join(', ');
    return withHint(`Invalid options ${names}: ${String(whyOf(first))}`, hints.length === 0 ? undefined : hints.join('; '));
  });
  const hinted = problems.map((problem) => ({ ...problem, message: withHint(problem.message, hint(problem)) }));
  return new ConfigurationError(said.join('; '), { ...context, problems: hinted });
}

/** What a problem says of its option, after `Invalid option \`name\`: `; `undefined` for a message of another form. */
function whyOf({ option, message }: ConfigurationProblem): string | undefined {
  if (option === undefined || !message.startsWith(lead(option))) return undefined;
  return message.slice(lead(option).length);
}

function withHint(message: string, hint: string | undefined): string {
  return hint === undefined ? message : `${message} (${hint})`;
}
