/**
 * The package ships an ES module build and a CommonJS build, and one process may load both: an ES
 * application that `import`s tributary while a CommonJS dependency `require`s it. Each build has its
 * own copy of the error classes, so `instanceof` must work across them (as the `is*` guards do), and
 * the minified builds must keep the classes' names, which loggers read as `err.constructor.name`.
 *
 * The builds are made here from the sources with the project's own tsup configuration (declarations
 * and source maps left out), so the test checks that configuration and never a stale `dist/`.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config from '../../tsup.config.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

/** What the child process reports, per direction (`esm→cjs`: an error of the ES build, classes of the CommonJS one). */
interface Report {
  names: Record<string, string>;
  constructorNames: Record<string, string>;
  instanceOf: Record<string, boolean>;
}

// Runs in a fresh Node process with both builds loaded side by side.
const script = String.raw`
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
const dir = process.argv[1];
const esm = await import(pathToFileURL(dir + '/index.js').href);
const cjs = createRequire(dir + '/')(dir + '/index.cjs');
const builds = { esm, cjs };
const CLASSES = ['TributaryError', 'HttpError', 'AuthenticationError', 'NotFoundError', 'RateLimitError', 'ConfigurationError', 'CursorError', 'IllumioJobError'];
const report = { names: {}, constructorNames: {}, instanceOf: {} };
for (const [label, b] of Object.entries(builds)) {
  for (const name of CLASSES) report.names[label + ' ' + name] = b[name].name;
}
for (const [from, to] of [['esm', 'cjs'], ['cjs', 'esm']]) {
  const a = builds[from];
  let thrown;
  try { a.illumio({ baseUrl: 'https://pce.example', orgId: 1, apiKey: 'api_1', apiSecret: 'secret-1234', timout: 5 }); } catch (error) { thrown = error; }
  const errors = {
    TributaryError: new a.TributaryError('x'),
    AuthenticationError: new a.AuthenticationError('x', { status: 401, method: 'GET', url: 'https://x.example/' }),
    RateLimitError: new a.RateLimitError('x', { status: 429, method: 'GET', url: 'https://x.example/' }),
    IllumioJobError: new a.IllumioJobError('x', { job: '/orgs/1/jobs/1', status: 'failed' }),
    'thrown ConfigurationError': thrown,
  };
  for (const [made, error] of Object.entries(errors)) {
    report.constructorNames[from + ' ' + made] = error.constructor.name;
    for (const cls of CLASSES) report.instanceOf[from + '→' + to + ' ' + made + ' instanceof ' + cls] = error instanceof builds[to][cls];
    report.instanceOf[from + ' ' + made + ' instanceof Error'] = error instanceof Error;
  }
  report.instanceOf[from + '→' + to + ' plain Error instanceof TributaryError'] = new Error('x') instanceof builds[to].TributaryError;
  report.instanceOf[from + '→' + to + ' null instanceof TributaryError'] = null instanceof builds[to].TributaryError;
}
console.log(JSON.stringify(report));
`;

describe('the ES module and CommonJS builds loaded in one process', () => {
  let dir: string | undefined;
  let report: Report;
  let printed: Record<'esm' | 'cjs', string>;

  beforeAll(async () => {
    // Inside the repository, so that the builds' external dependencies resolve from its node_modules.
    const cache = join(root, 'node_modules/.cache');
    await mkdir(cache, { recursive: true });
    dir = await mkdtemp(join(cache, 'tributary-dual-build-'));
    for (const options of config as readonly Parameters<typeof build>[0][]) {
      await build({ ...options, outDir: dir, dts: false, sourcemap: false, silent: true, config: false });
    }
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, dir], { cwd: root, timeout: 30_000 });
    report = JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null') as Report;
    // An error left uncaught, as in a script: Node prints the line of code it was thrown at first.
    const uncaught = (load: string) =>
      run(process.execPath, ['--input-type=module', '-e', `${load}.illumio({ baseUrl: 'https://pce.example', orgId: 1, apiKey: 'api_1', apiSecret: 'secret-1234', timout: 5 })`], { cwd: root, timeout: 30_000 }).then(
        () => '',
        (error: { stderr: string }) => error.stderr,
      );
    printed = {
      esm: await uncaught(`(await import(${JSON.stringify(pathToFileURL(join(dir, 'index.js')).href)}))`),
      cjs: await uncaught(`(await import('node:module')).createRequire(${JSON.stringify(`${dir}/`)})('./index.cjs')`),
    };
  }, 60_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('show a short line of code above an uncaught error, not a whole minified chunk', () => {
    // Node prints the line an uncaught error was thrown at: a chunk minified to one line put thousands
    // of characters of code on the terminal before the message.
    for (const [build, stderr] of Object.entries(printed)) {
      const message = stderr.indexOf('ConfigurationError: Invalid option `timout`');
      expect(message, build).toBeGreaterThan(0);
      expect(message, `${build}: ${stderr.slice(0, 300)}`).toBeLessThan(600);
    }
  });

  it('keep the names of the error classes', () => {
    for (const [key, name] of Object.entries(report.names)) expect(name, key).toBe(key.split(' ')[1]);
    expect(report.constructorNames).toEqual({
      'esm TributaryError': 'TributaryError',
      'esm AuthenticationError': 'AuthenticationError',
      'esm RateLimitError': 'RateLimitError',
      'esm IllumioJobError': 'IllumioJobError',
      'esm thrown ConfigurationError': 'ConfigurationError',
      'cjs TributaryError': 'TributaryError',
      'cjs AuthenticationError': 'AuthenticationError',
      'cjs RateLimitError': 'RateLimitError',
      'cjs IllumioJobError': 'IllumioJobError',
      'cjs thrown ConfigurationError': 'ConfigurationError',
    });
  });

  it('answer instanceof for each other’s errors as for their own, subclasses included', () => {
    const expected: Record<string, readonly string[]> = {
      TributaryError: ['TributaryError'],
      AuthenticationError: ['TributaryError', 'HttpError', 'AuthenticationError'],
      RateLimitError: ['TributaryError', 'HttpError', 'RateLimitError'],
      IllumioJobError: ['TributaryError', 'IllumioJobError'],
      'thrown ConfigurationError': ['TributaryError', 'ConfigurationError'],
    };
    const classes = ['TributaryError', 'HttpError', 'AuthenticationError', 'NotFoundError', 'RateLimitError', 'ConfigurationError', 'CursorError', 'IllumioJobError'];
    for (const [from, to] of [['esm', 'cjs'], ['cjs', 'esm']] as const) {
      for (const [made, is] of Object.entries(expected)) {
        for (const cls of classes) {
          const key = `${from}→${to} ${made} instanceof ${cls}`;
          expect(report.instanceOf[key], key).toBe(is.includes(cls));
        }
        expect(report.instanceOf[`${from} ${made} instanceof Error`]).toBe(true);
      }
      expect(report.instanceOf[`${from}→${to} plain Error instanceof TributaryError`]).toBe(false);
      expect(report.instanceOf[`${from}→${to} null instanceof TributaryError`]).toBe(false);
    }
  });
});
