/**
 * The warnings a `--config` file earns by its mode, as ssh and kubectl give them: other users of the
 * machine can read the credentials it holds, or anyone can change it, and a `baseUrl` of theirs then takes the
 * environment's credentials to their server. A warning, not a refusal: many deployments mount such
 * files 0644 in a container of one user, and a command that stopped running there would be worse.
 */
import { stat } from 'node:fs/promises';
import { isRecord } from '../core/config.js';
import { envName, isSecretOption } from './options.js';

export async function configWarnings(file: string, options: Record<string, unknown>, provider: string): Promise<string[]> {
  // Windows has no such modes: Node reports 0666 for every file that is not read-only.
  if (process.platform === 'win32') return [];
  let mode: number;
  try {
    mode = (await stat(file)).mode & 0o777;
  } catch {
    // Read a moment ago: gone since, it is no one's to read.
    return [];
  }
  const shown = mode.toString(8);
  const warnings: string[] = [];
  const secrets = secretPaths(options);
  if (secrets.length > 0 && (mode & 0o044) !== 0) {
    const one = secrets.length === 1;
    warnings.push(
      `--config ${file} holds ${one ? 'a credential' : 'credentials'} (${secrets.join(', ')}) that other users can read (mode ${shown}); ` +
        `chmod 600 it, or keep ${one ? 'the credential' : 'them'} in ${secrets.map((path) => envName(provider, path)).join(' and ')}`,
    );
  }
  // Not its group's write: a user's files are often their own group's alone (umask 002).
  if ((mode & 0o002) !== 0) warnings.push(`--config ${file} can be changed by any user (mode ${shown}); chmod o-w it`);
  return warnings;
}

/**
 * The dotted paths of the options that hold a non-empty secret, at any depth: a URL with a password
 * among them (node-redis 3 takes `clientOptions.url`, `redis://:password@host`).
 */
function secretPaths(options: Record<string, unknown>, prefix = ''): string[] {
  return Object.keys(options).flatMap((key) => {
    const value = options[key];
    const path = `${prefix}${key}`;
    if (isRecord(value)) return secretPaths(value, `${path}.`);
    if (typeof value === 'string' && URL.canParse(value) && new URL(value).password !== '') return [path];
    return isSecretOption(key) && value !== undefined && value !== null && value !== '' ? [path] : [];
  });
}
