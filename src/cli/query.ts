/**
 * The query of `pull` and `watch`: the uniform flags (`--since`, `--until`, `--type`, `--page-size`) and
 * `--query k=v&k=v` for each vendor's own options, typed as the provider's `events.list` takes them.
 * No provider is loaded here: `tributary --help` shows what `--type` means for each of them.
 */
import type { ProviderName } from '../core/event.js';
import { integerFlag, UsageError, type ParsedArgs } from './args.js';
import { fromText } from './options.js';

/** What the text of a query option stands for; an option not listed takes text. */
type QueryKind = 'number' | 'boolean' | 'list';

/**
 * The query options that are not text, by provider, as `src/providers/<name>/query.ts` (FUJITSU's
 * `options.ts`) types them. A `list` takes a repeated key (`categories=backup&categories=failover`)
 * as its items; any other option is given once. Tines ids take decimal text as they are.
 */
const QUERY_OPTIONS: Readonly<Record<ProviderName, Readonly<Record<string, QueryKind>>>> = {
  socotra: { pageSize: 'number' },
  tines: { pageSize: 'number' },
  fujitsu: { pageSize: 'number', duration: 'number', categories: 'list' },
  illumio: { pageSize: 'number', asyncThreshold: 'number' },
  informatica: { pageSize: 'number', useExactMatch: 'boolean' },
};

/**
 * The query option `--type` sets: each vendor names its type filter its own way (the normalized `type`
 * of a FUJITSU event comes from its first category, an Informatica event's from its `eventType`).
 * Every Tines event is of one type, `tines.event`, and its API has nothing to filter on.
 */
export const TYPE_FILTER: Readonly<Record<ProviderName, string | undefined>> = {
  socotra: 'type',
  tines: undefined,
  fujitsu: 'categories',
  illumio: 'type',
  informatica: 'eventType',
};

/** One query option as the command line gave it, and the flag that gave it, to name in an error. */
interface Given {
  option: string;
  text: string;
  flag: string;
}

/** The query, and the flag each of its options came from. */
export interface CliQuery {
  query: Record<string, unknown>;
  flagOf(option: string): string;
}

export function queryFrom(provider: ProviderName, args: ParsedArgs): CliQuery {
  const given = [...fromFlags(provider, args), ...fromQueryFlag(args.values.get('query'))];
  const byOption = new Map<string, Given[]>();
  for (const entry of given) byOption.set(entry.option, [...(byOption.get(entry.option) ?? []), entry]);
  // Made as data, not assigned: `query.__proto__ = 'x'` sets no option, and `--query __proto__=x` ran
  // as if it had not been given instead of being refused as the unknown option it is.
  const query: Record<string, unknown> = Object.fromEntries([...byOption].map(([option, entries]) => [option, typed(kindOf(provider, option), option, entries)]));
  return { query, flagOf: (option) => flagOf(provider, given, option) };
}

function kindOf(provider: ProviderName, option: string): QueryKind | undefined {
  const kinds = QUERY_OPTIONS[provider];
  return Object.hasOwn(kinds, option) ? kinds[option] : undefined;
}

function fromFlags(provider: ProviderName, args: ParsedArgs): Given[] {
  // Checked here so a bad --page-size is named as such, not as the query option behind it.
  integerFlag(args, 'page-size');
  const given: Given[] = [];
  for (const [flag, option] of uniformFlags(provider)) {
    const text = args.values.get(flag);
    if (text === undefined) continue;
    if (option === undefined) throw new UsageError(`--${flag}: ${provider} has no event type filter`);
    given.push({ option, text, flag: `--${flag}` });
  }
  return given;
}

/** The uniform flags and the provider's name for each; `undefined` where it has no such option. */
function uniformFlags(provider: ProviderName): ReadonlyArray<readonly [string, string | undefined]> {
  return [
    ['since', 'since'],
    ['until', 'until'],
    ['type', TYPE_FILTER[provider]],
    ['page-size', 'pageSize'],
  ];
}

function fromQueryFlag(pairs: string | undefined): Given[] {
  // An empty piece (`a=1&`) is harmless; a piece that is not `k=v` is a mistake worth naming.
  return (pairs ?? '')
    .split('&')
    .filter((piece) => piece !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--query takes k=v pairs joined by &, got ${JSON.stringify(pair)}`);
      const option = pair.slice(0, eq);
      return { option, text: decoded(pair.slice(eq + 1)), flag: `--query ${option}=` };
    });
}

function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new UsageError(`--query value ${JSON.stringify(value)} is not valid percent-encoding`);
  }
}

/** Only a list takes an option twice: keeping one of two values would run a query nobody asked for. */
function typed(kind: QueryKind | undefined, option: string, entries: readonly Given[]): unknown {
  if (kind === 'list') return entries.map((entry) => entry.text);
  const [first, ...more] = entries;
  if (first === undefined || more.length > 0) {
    const flags = [...new Set(entries.map((entry) => entry.flag))].join(', ');
    throw new UsageError(`${option} is given more than once (${flags}); it takes one value`);
  }
  return kind === undefined ? first.text : fromText(first.text, [kind]);
}

/**
 * The flag to name for a refused option: the one that gave it, or, for an option refused for the lack
 * of it (`since` of an Informatica `until`), the flag that would give it.
 */
function flagOf(provider: ProviderName, given: readonly Given[], option: string): string {
  // A list's item is refused under its index (`categories[1]`), its items in the order they were given:
  // naming the first one's flag blamed `--type` for an empty `--query categories=` after it.
  const item = /^(.+)\[(\d+)\]$/.exec(option);
  const name = item?.[1] ?? option;
  const entries = given.filter((entry) => entry.option === name);
  const from = ((item === null ? undefined : entries[Number(item[2])]) ?? entries[0])?.flag;
  const uniform = uniformFlags(provider).find(([, uniformOption]) => uniformOption === name)?.[0];
  return from ?? (uniform === undefined ? `--query ${name}=` : `--${uniform}`);
}
