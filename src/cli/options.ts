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

/** Numbers stay strings unless they are plain integers of an option the vendor types as a number. */
const NUMERIC_OPTIONS = new Set(['orgId', 'timeout', 'maxResponseSize']);

export function optionsFromEnv(provider: string, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const prefix = `TRIBUTARY_${provider.toUpperCase()}_`;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith(prefix) || value === undefined) continue;
    const path = key.slice(prefix.length).split('__').map(camel);
    let target = out;
    for (const part of path.slice(0, -1)) {
      const next = target[part];
      target = (typeof next === 'object' && next !== null ? next : (target[part] = {})) as Record<string, unknown>;
    }
    const leaf = path[path.length - 1] as string;
    target[leaf] = NUMERIC_OPTIONS.has(leaf) && /^\d+$/.test(value) ? Number(value) : value;
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
