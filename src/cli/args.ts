/**
 * A small argument parser for the `tributary` command: `--name value`, `--name=value`, boolean flags,
 * and positionals. No dependency: the CLI must start fast in shell pipelines.
 */

/** A command's options: whether each takes a value or is a switch. */
export type FlagSpec = Readonly<Record<string, 'value' | 'boolean'>>;

export interface ParsedArgs {
  positionals: string[];
  values: Map<string, string>;
  switches: Set<string>;
  /**
   * Why no command is left, when an option before it took the command as its value (`--since pull`);
   * the caller says so once it has seen that neither `--help` nor `--version` was asked for.
   */
  commandTaken: string | undefined;
}

/** The option that took the next word as its value, before the command. */
interface Taken {
  name: string;
  value: string;
}

/**
 * Anything not in the spec is a usage error: a misspelt `--cursor-file` silently ignored would run
 * without saving the cursor, and the mistake would surface only when a later run starts over.
 * Each command (the first positional) accepts only its own options of `commands`; before it is known,
 * any command's. `short` maps a short form to its option (`-h` to `--help`).
 */
export function parseArgs(
  argv: readonly string[],
  commands: Readonly<Record<string, FlagSpec>>,
  short: Readonly<Record<string, string>> = {},
): ParsedArgs {
  const positionals: string[] = [];
  const values = new Map<string, string>();
  const switches = new Set<string>();
  const seen: string[] = [];
  const taken: Taken[] = [];
  const specFor = (command: string | undefined) => commandSpec(commands, command, taken);
  for (let i = 0; i < argv.length; i++) {
    const given = argv[i] as string;
    const arg = Object.hasOwn(short, given) ? (short[given] as string) : given;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    // `--=x` read as an option named '' was refused as "unknown option --", which names nothing to fix.
    if (name === '') throw new UsageError(`malformed option ${JSON.stringify(arg)}: a name is needed between -- and =`);
    const kind = checkedKind(specFor(positionals[0]), name);
    seen.push(name);
    if (kind === 'boolean') {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      switches.add(name);
    } else {
      const value = eq === -1 ? argv[i + 1] : arg.slice(eq + 1);
      if (eq === -1 && (value === undefined || value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      // Keeping one of two values would run a command nobody asked for (`--query a=1 --query b=2` lost a=1).
      if (values.has(name)) throw new UsageError(`--${name} is given more than once; it takes one value`);
      values.set(name, value as string);
      if (eq === -1) {
        if (positionals.length === 0) taken.push({ name, value: value as string });
        i++;
      }
    }
  }
  // Options given before the command were checked against every command's; check them against its own.
  const spec = specFor(positionals[0]);
  for (const name of seen) checkedKind(spec, name);
  return { positionals, values, switches, commandTaken: positionals.length === 0 ? takenCommand(commands, taken, undefined) : undefined };
}

/** The options of `command`, or of any command while it is not known yet. */
function commandSpec(commands: Readonly<Record<string, FlagSpec>>, command: string | undefined, taken: readonly Taken[]): FlagSpec {
  if (command === undefined) return Object.assign({}, ...Object.values(commands)) as FlagSpec;
  const spec = Object.hasOwn(commands, command) ? commands[command] : undefined;
  if (spec !== undefined) return spec;
  throw new UsageError(takenCommand(commands, taken, command) ?? `unknown command ${JSON.stringify(command)}`);
}

/**
 * A value flag given before the command without its value takes the command as its value
 * (`--since pull tines`), and the next word is read as the command: "unknown command "tines"" sent the
 * user after the provider instead of the flag, and `--since pull` asked for the command it was given.
 */
function takenCommand(commands: Readonly<Record<string, FlagSpec>>, taken: readonly Taken[], command: string | undefined): string | undefined {
  const mistaken = taken.find(({ value }) => Object.hasOwn(commands, value));
  if (mistaken === undefined) return undefined;
  const left = command === undefined ? 'and a command is needed' : `leaving ${JSON.stringify(command)} as the command`;
  return `--${mistaken.name} needs a value before ${JSON.stringify(mistaken.value)}: it took ${JSON.stringify(mistaken.value)} as its value, ${left}`;
}

function checkedKind(spec: FlagSpec, name: string): 'value' | 'boolean' {
  const kind = Object.hasOwn(spec, name) ? spec[name] : undefined;
  if (kind !== undefined) return kind;
  const guess = closest(name, Object.keys(spec));
  throw new UsageError(`unknown option --${name}${guess === undefined ? '' : `; did you mean --${guess}?`}`);
}

/** The one known name within a typo or two of `name`, if there is exactly one. */
function closest(name: string, known: readonly string[]): string | undefined {
  const limit = name.length < 5 ? 1 : 2;
  const near = known.filter((candidate) => distance(name, candidate) <= limit);
  return near.length === 1 ? near[0] : undefined;
}

/** Levenshtein distance, counting a swap of neighbours as one edit (`--limt`, `--sicne`). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => (d[i] as number[])[j] as number;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A whole-number flag of at least `min` that a number holds exactly, or `undefined` when it is not given. */
export function integerFlag(args: ParsedArgs, name: string, min = 0): number | undefined {
  const value = args.values.get(name);
  if (value === undefined) return undefined;
  // Past 2^53 the digits are not the number read (`--seed 9007199254740993` would seed 9007199254740992).
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${name} must be a whole number up to ${Number.MAX_SAFE_INTEGER}, got ${JSON.stringify(value)}`);
  }
  if (Number(value) < min) throw new UsageError(`--${name} must be at least ${min}, got ${value}`);
  return Number(value);
}
