/**
 * The benchmark's command line:
 *
 *   npm run bench [-- --quick] [--rounds N] [--events N] [--memory-events N] [--only a,b]
 *                 [--providers a,b] [--node /path/to/node]... [--out file]
 */
import type { ProviderName } from '../src/core/errors.js';

export const SCENARIOS = ['throughput', 'in-process', 'latency', 'offset', 'memory', 'import', 'size'] as const;
export type Scenario = (typeof SCENARIOS)[number];

const PROVIDER_NAMES: readonly ProviderName[] = ['socotra', 'tines', 'fujitsu', 'illumio', 'informatica'];

export interface BenchArgs {
  quick: boolean;
  /** Measured rounds of every interleaved scenario. */
  rounds: number;
  /** Events per drain in the throughput scenario. */
  events: number;
  /** Events streamed in the memory scenario. */
  memoryEvents: number;
  scenarios: Scenario[];
  providers: ProviderName[];
  /** Extra Node binaries for the import scenario (the running one is always measured). */
  nodes: string[];
  out: string;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

const DEFAULTS = { rounds: 15, events: 200_000, memoryEvents: 1_000_000 };
const QUICK = { rounds: 3, events: 5_000, memoryEvents: 100_000 };

function integer(flag: string, value: string | undefined, min: number): number {
  const parsed = Number(value);
  if (value === undefined || !Number.isSafeInteger(parsed) || parsed < min) throw new UsageError(`${flag} must be an integer >= ${min}, got ${String(value)}`);
  return parsed;
}

function list<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T[] {
  const items = (value ?? '').split(',').filter(Boolean);
  const unknown = items.filter((item) => !allowed.includes(item as T));
  if (items.length === 0 || unknown.length > 0) {
    throw new UsageError(`${flag} takes a comma-separated list of ${allowed.join(', ')}; got ${String(value)}`);
  }
  return items as T[];
}

export function parseArgs(argv: readonly string[], defaultOut: string): BenchArgs {
  const quick = argv.includes('--quick');
  const base = quick ? QUICK : DEFAULTS;
  const args: BenchArgs = {
    quick,
    ...base,
    scenarios: [...SCENARIOS],
    providers: [...PROVIDER_NAMES],
    nodes: [],
    out: defaultOut,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const value = (): string | undefined => argv[++i];
    switch (flag) {
      case '--quick':
        break;
      case '--rounds':
        args.rounds = integer(flag, value(), 1);
        break;
      case '--events':
        args.events = integer(flag, value(), 1000);
        break;
      case '--memory-events':
        args.memoryEvents = integer(flag, value(), 10_000);
        break;
      case '--only':
        args.scenarios = list(flag, value(), SCENARIOS);
        break;
      case '--providers':
        args.providers = list(flag, value(), PROVIDER_NAMES);
        break;
      case '--node': {
        const node = value();
        if (!node) throw new UsageError('--node takes the path of a Node binary');
        args.nodes.push(node);
        break;
      }
      case '--out': {
        const out = value();
        if (!out) throw new UsageError('--out takes a file name');
        args.out = out;
        break;
      }
      default:
        throw new UsageError(`unknown option ${flag}`);
    }
  }
  return args;
}
