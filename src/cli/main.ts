#!/usr/bin/env node
/**
 * The `tributary` command. Events go to stdout as NDJSON; progress and the resume cursor go to stderr,
 * so `tributary pull illumio | jq ...` stays clean.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs, UsageError, type FlagSpec } from './args.js';
import { emulate } from './emulate.js';
import { secretsIn } from './options.js';
import { writeStdout } from './output.js';
import { providerNames } from './providers.js';
import { TYPE_FILTER } from './query.js';
import { interruptedExitCode, pull, type CliIo } from './pull.js';
import { redact, registerSecret } from '../core/redact.js';
import { escapeControls } from '../core/shown-text.js';
import { VERSION } from '../core/version.js';

/** What `--type` sets for each provider: `socotra type, tines (none), ...`. */
function typeFilters(): string {
  return providerNames.map((provider) => `${provider} ${TYPE_FILTER[provider] ?? '(none)'}`).join(', ');
}

const USAGE = `Usage:
  tributary help | -h | --help             this text
  tributary --version                      the version of tributary
  tributary pull <provider> [options]      write events as NDJSON, then exit
  tributary watch <provider> [options]     keep writing new events as they arrive
  tributary emulate <provider> [--port N] [--seed N] [--events N]
                                           serve the built-in emulator on 127.0.0.1

Providers: ${providerNames.join(', ')}

Options for pull and watch:
  --since <time>        RFC 3339 time or date (e.g. 2026-11-01); UTC without a zone
  --until <time>        RFC 3339 time or date; UTC without a zone
  --type <type>         the vendor's event type filter, by its query's name for it:
                        ${typeFilters()}
  --page-size <n>       items per request, within the vendor's bounds
  --query <k=v&k=v>     vendor-specific query options, by their tributary names; numbers and
                        booleans as text; a key given twice makes a list where the option
                        takes one (categories=backup&categories=failover); a value is
                        percent-decoded (%26 for &, %25 for %), a + is a plus
  --cursor <cursor>     resume after this cursor
  --cursor-file <file>  load the cursor from, and save it after every page to, this file
  --limit <n>           stop after the page that reaches n events (n >= 1)
  --interval <seconds>  watch: wait between polls (default 30, at least 1)
  --cloudevents         write CloudEvents 1.0 JSON instead of tributary events
  --config <file.json>  factory options as JSON

Credentials and other factory options come from the environment, never from flags:
  TRIBUTARY_<PROVIDER>_<OPTION>, e.g. TRIBUTARY_ILLUMIO_BASE_URL, TRIBUTARY_ILLUMIO_ORG_ID,
  TRIBUTARY_ILLUMIO_API_KEY, TRIBUTARY_ILLUMIO_API_SECRET; nested options use a double underscore:
  TRIBUTARY_FUJITSU_IDENTITY__USER_NAME.
`;

const PULL: FlagSpec = {
  help: 'boolean',
  version: 'boolean',
  since: 'value',
  until: 'value',
  type: 'value',
  'page-size': 'value',
  query: 'value',
  cursor: 'value',
  'cursor-file': 'value',
  limit: 'value',
  cloudevents: 'boolean',
  config: 'value',
};

/** Each command's options, as in the usage above; options may come before the command too. */
const COMMANDS: Readonly<Record<string, FlagSpec>> = {
  help: { help: 'boolean', version: 'boolean' },
  pull: PULL,
  watch: { ...PULL, interval: 'value' },
  emulate: { help: 'boolean', version: 'boolean', port: 'value', seed: 'value', events: 'value' },
};

/** The short forms of options, as other commands have them. */
const SHORT_FLAGS: Readonly<Record<string, string>> = { '-h': '--help' };

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  // The environment's secrets are redacted from every message, those the command line repeats too: a
  // client registers its own only once it is built, after the command line has been read.
  const release = registerSecret(...secretsIn(providerNames, io.env));
  try {
    const args = parseArgs(argv, COMMANDS, SHORT_FLAGS);
    const [command, provider, ...extra] = args.positionals;
    if (args.switches.has('help') || command === 'help') {
      await writeStdout(io.stdout, USAGE);
      return 0;
    }
    if (args.switches.has('version')) {
      await writeStdout(io.stdout, `${VERSION}\n`);
      return 0;
    }
    if (command === undefined) throw new UsageError(args.commandTaken ?? 'a command is needed');
    if (provider === undefined) throw new UsageError(`${command} needs a provider`);
    if (extra[0] !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
    // parseArgs has already refused a command that is not in COMMANDS.
    if (command === 'emulate') return await emulate(provider, args, io);
    return await pull(provider, args, io, command === 'watch');
  } catch (error) {
    if (io.signal.aborted) return interruptedExitCode(io.signal);
    if (error instanceof UsageError) {
      io.stderr.write(`tributary: ${shown(error.message)}\n\n${USAGE}`);
      return 2;
    }
    // Errors are redacted at construction, but not of a secret that no client had registered yet.
    io.stderr.write(`tributary: ${(error as Error).name}: ${shown((error as Error).message)}\n`);
    return 1;
  } finally {
    release();
  }
}

/**
 * A message as stderr shows it: redacted, and its controls escaped, as it may quote a vendor's text
 * (the time of an event that is not one) to a terminal.
 */
function shown(message: string): string {
  return escapeControls(redact(message));
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    // npm links the bin, so compare real paths.
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/**
 * How long a command stopped by a signal gives its reader to take the page it is writing. Part of a
 * page may already be in the pipe, cut in the middle of a line: exiting at once left that half line to
 * the reader, which a loop restarting the command (`while …; do timeout 300 tributary watch …; done |
 * consumer`) joined to the next run's first line, both events then lost to a consumer parsing lines. A
 * reader that takes nothing within it still gets the half line: no byte in a pipe can be taken back.
 */
const STOP_GRACE_MS = 2_000;

/** Settles once `stream` has handed on what it holds, or its reader is gone, or after `ms`. */
function flushed(stream: NodeJS.WriteStream, ms: number): Promise<void> {
  if (stream.writableLength === 0 || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    // Writes are handed on in order: an empty one calls back once those before it are out, or failed.
    stream.write('', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

if (invokedDirectly()) {
  // stderr carries status lines only: a reader of it that went away (`2>&1 | head -1`) must neither
  // crash the command nor change its exit code. Its writes then fail into the void.
  process.stderr.on('error', () => undefined);
  // Likewise a write to stdout that fails once the command is done with it: a page given up on when its
  // reader left, failing as the pipe closes. The command has its exit code by then; `pull` listens to
  // stdout itself while it runs.
  process.stdout.on('error', () => undefined);
  const controller = new AbortController();
  // The exit code of a command cut short is the shell's for the signal: 128 + its number. SIGHUP is what a
  // closed terminal (a dropped SSH session) sends: left to kill the command, it lost the status line and
  // the save of the pages written since the last one, which the next run then wrote again.
  const SIGNAL_EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
  for (const [signal, exitCode] of Object.entries(SIGNAL_EXIT_CODES)) {
    process.once(signal, () => controller.abort(Object.assign(new Error('interrupted'), { exitCode })));
  }
  const code = await run(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: controller.signal,
  });
  // A page still waiting for a stalled reader was not counted as written, and stdout cannot be closed:
  // exiting drops it, so the process ends without waiting for a reader that may never read again.
  // Everything else was awaited to its write callback, the summary on stderr included.
  if (controller.signal.aborted) {
    await flushed(process.stdout, STOP_GRACE_MS);
    process.exit(code);
  }
  process.exitCode = code;
}
