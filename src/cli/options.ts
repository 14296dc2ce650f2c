/**
 * Where the CLI finds a provider's factory options: a JSON file (`--config`), then environment
 * variables `TRIBUTARY_<PROVIDER>_<OPTION>` in SCREAMING_SNAKE_CASE (`TRIBUTARY_ILLUMIO_API_SECRET` →
 * `apiSecret`; a double underscore nests: `TRIBUTARY_FUJITSU_IDENTITY__USER_NAME` → `identity.userName`).
 * Environment variables keep secrets out of the process list and shell history, which flags would not.
 *
 * JSON and the environment cannot hold a shared rate limit, which is made by a function, so the CLI
 * reads its description instead: `rateLimit.shared.redis` holds `redisRateLimit()`'s options
 * (`{ "rateLimit": { "shared": { "redis": { "clientOptions": { "host": "redis.internal" } } } } }`).
 */
import { readFile } from 'node:fs/promises';
import { isRecord } from '../core/config.js';
import { redisRateLimit, type RedisRateLimitOptions } from '../redis/index.js';
import { UsageError } from './args.js';

const camel = (snake: string) => snake.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** What text may stand for besides itself: a number, a boolean, or `false` for an option that is off. */
export type TextKind = 'number' | 'boolean' | 'false';

/**
 * The options that are not strings, by path, and what their text may stand for: the environment holds
 * only text, and a factory refuses `"true"` for a boolean or `"100"` for a number. Every other option
 * stays text (a secret of digits is still a string).
 */
const TYPED_OPTIONS: Readonly<Record<string, readonly TextKind[]>> = {
  orgId: ['number'],
  timeout: ['number', 'false'],
  maxResponseSize: ['number'],
  allowInsecureHttp: ['boolean'],
  retry: ['false'],
  'retry.retries': ['number'],
  'retry.minDelay': ['number'],
  'retry.maxDelay': ['number'],
  'retry.maxRetryAfter': ['number'],
  'retry.budget': ['number'],
  rateLimit: ['false'],
  'rateLimit.requests': ['number'],
  'rateLimit.interval': ['number'],
  'rateLimit.maxConcurrent': ['number'],
  'rateLimit.minTime': ['number'],
  jobPollInterval: ['number'],
  jobTimeout: ['number'],
};

/**
 * The factory options only a program can give: functions and live objects, which neither the
 * environment (text) nor `--config` (JSON) can hold; the CLI gives its own `signal`.
 */
const CODE_ONLY_OPTIONS: readonly string[] = ['fetch', 'hooks', 'clock', 'signal'];

/**
 * A factory's "unknown option; expected one of ..." without the options only a program can give: the
 * environment and `--config` cannot set them, so listing them sends the user after the impossible.
 */
export function settableOnly(message: string): string {
  // The list runs to the end free of `;`, `(` and `)`, so it starts after the last of them: searched
  // for by `/(expected one of )([^;()]+)$/`, each "expected one of " in an option's name was read on to
  // the end, and a name of 40,000 of them took half a minute.
  const after = Math.max(message.lastIndexOf(';'), message.lastIndexOf('('), message.lastIndexOf(')')) + 1;
  const head = message.indexOf(LIST_HEAD, after);
  const start = head + LIST_HEAD.length;
  if (head < 0 || start === message.length) return message;
  return message.slice(0, start) + message.slice(start).split(', ').filter((option) => !CODE_ONLY_OPTIONS.includes(option)).join(', ');
}

const LIST_HEAD = 'expected one of ';

/**
 * The first code-only option `options` sets, if any, down to the value that sets it (`hooks.onRequest`),
 * so that it names the variable or key to remove (`rateLimit.shared` is described, see `withSharedLimit`).
 */
export function codeOnlyOption(options: Record<string, unknown>): string | undefined {
  const option = CODE_ONLY_OPTIONS.find((name) => Object.hasOwn(options, name));
  if (option === undefined) return undefined;
  let path = option;
  for (let value = options[option]; isRecord(value) && Object.keys(value).length > 0; ) {
    const key = Object.keys(value)[0] as string;
    path += `.${key}`;
    value = value[key];
  }
  return path;
}

/** `value` as an option of these kinds takes it; text it cannot stand for is left for the client to refuse. */
export function fromText(value: string, kinds: readonly TextKind[]): unknown {
  const text = value.trim();
  if (kinds.includes('number') && /^(?:\d+(?:\.\d+)?|Infinity)$/.test(text)) return Number(text);
  if (kinds.includes('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  if (kinds.includes('false') && text === 'false') return false;
  return value;
}

/**
 * The environment variable of an option: `envName('fujitsu', 'identity.userName')` is
 * `TRIBUTARY_FUJITSU_IDENTITY__USER_NAME`, the inverse of what `optionsFromEnv` reads.
 */
export function envName(provider: string, option: string): string {
  const snake = (part: string) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  return `TRIBUTARY_${provider.toUpperCase()}_${option.split('.').map(snake).join('__')}`;
}

/** The option path a variable sets (`['identity', 'userName']`), or `undefined` if it is not the provider's. */
function optionPath(provider: string, key: string): string[] | undefined {
  const prefix = `TRIBUTARY_${provider.toUpperCase()}_`;
  return key.startsWith(prefix) ? key.slice(prefix.length).split('__').map(camel) : undefined;
}

/**
 * The variable in `env` that set `option`, as it is spelt there: `envName` writes the canonical name,
 * which a misspelt variable (`TRIBUTARY_ILLUMIO_Timout`) need not be.
 */
export function envVariableOf(provider: string, option: string, env: NodeJS.ProcessEnv): string | undefined {
  return Object.keys(env).find((key) => env[key] !== undefined && optionPath(provider, key)?.join('.') === option);
}

/**
 * The options that hold a secret, as redaction names them (src/core/redact.ts): a token, a password,
 * an API secret, at any depth (`identity.password`).
 */
const SECRET_OPTIONS: readonly string[] = ['token', 'password', 'apiSecret'];

/** Whether an option of this name (the last part of its path) holds a secret. */
export const isSecretOption = (name: string): boolean => SECRET_OPTIONS.includes(name);

/**
 * The secrets the environment holds for any of `providers`: a command line can repeat one where it is
 * echoed back (`tributary pull tines "$TOKEN"`, `--limit "$TOKEN"`), and a misspelt provider still
 * has its variables read for this, since the mistake may be in the provider's name.
 */
export function secretsIn(providers: readonly string[], env: NodeJS.ProcessEnv): string[] {
  return Object.keys(env).flatMap((key) => {
    const value = env[key];
    const secret = providers.some((provider) => isSecretOption(optionPath(provider, key)?.at(-1) ?? ''));
    return secret && value !== undefined ? [value] : [];
  });
}

export function optionsFromEnv(provider: string, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(env)) {
    const path = optionPath(provider, key);
    if (path === undefined || value === undefined) continue;
    let target = out;
    for (const part of path.slice(0, -1)) {
      const next = target[part];
      target = (typeof next === 'object' && next !== null ? next : (target[part] = {})) as Record<string, unknown>;
    }
    const leaf = path[path.length - 1] as string;
    target[leaf] = fromText(value, TYPED_OPTIONS[path.join('.')] ?? []);
  }
  return out;
}

/**
 * `env` over `file`, nested objects merged key by key: the settings in the file, the secrets in the
 * environment (`identity.url` from one, `identity.password` from the other).
 */
export function mergeOptions(file: Record<string, unknown>, env: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...file };
  for (const [key, value] of Object.entries(env)) {
    const base = out[key];
    out[key] = isRecord(base) && isRecord(value) ? mergeOptions(base, value) : value;
  }
  return out;
}

export async function optionsFromFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --config ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`--config ${file} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`--config ${file} must hold a JSON object of factory options`);
  }
  return parsed as Record<string, unknown>;
}

/** `options` with a described `rateLimit.shared` (`{ redis: {...} }`) replaced by the limit it describes. */
export function withSharedLimit(options: Record<string, unknown>): Record<string, unknown> {
  const rateLimit = options['rateLimit'];
  const shared = isRecord(rateLimit) ? rateLimit['shared'] : undefined;
  if (!isRecord(rateLimit) || !isRecord(shared)) return options;
  const stores = Object.keys(shared);
  if (stores.length !== 1 || !isRecord(shared['redis'])) {
    throw new UsageError('rateLimit.shared must be { "redis": { "clientOptions": { ... } } }');
  }
  return { ...options, rateLimit: { ...rateLimit, shared: redisRateLimit(shared['redis'] as RedisRateLimitOptions) } };
}
