/**
 * Runs an example as a program when it is executed directly (`npx tsx examples/illumio.ts`), and not
 * when the demo or a test imports it.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { isTributaryError } from 'tributary';

export function runIfMain(meta: ImportMeta, main: (env: NodeJS.ProcessEnv) => Promise<string[]>): void {
  if (!isMain(meta)) return;
  main(process.env).then(
    (lines) => console.log(lines.join('\n')),
    (error: unknown) => {
      // Typed errors carry the status and the vendor's message, never a credential.
      console.error(isTributaryError(error) ? `${error.name}: ${error.message}` : error);
      process.exitCode = 1;
    },
  );
}

/** Whether `meta` is the module node was asked to run. */
function isMain(meta: ImportMeta): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    // tsx reports the real path, and a file URL percent-encodes what a path may hold (a space is `%20`).
    return meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    // A script named without its extension (`tsx examples/illumio`) is no file by that name.
    return false;
  }
}
