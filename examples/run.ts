/**
 * Runs an example as a program when it is executed directly (`npx tsx examples/illumio.ts`), and not
 * when the demo or a test imports it.
 */
import { isTributaryError } from 'tributary';

export function runIfMain(meta: ImportMeta, main: (env: NodeJS.ProcessEnv) => Promise<string[]>): void {
  if (meta.url !== `file://${process.argv[1]}`) return;
  main(process.env).then(
    (lines) => console.log(lines.join('\n')),
    (error: unknown) => {
      // Typed errors carry the status and the vendor's message, never a credential.
      console.error(isTributaryError(error) ? `${error.name}: ${error.message}` : error);
      process.exitCode = 1;
    },
  );
}
