/**
 * Every `@example` of a member a user passes (the entries of public-entries.ts, down to the objects
 * they hold) type-checks against that member, under the project's compiler options, as an editor
 * shows it and a user copies it. The `fetch` option's example (undici's `fetch` with a `ProxyAgent`)
 * once did not, and nothing noticed.
 *
 * An example is the member's value (`30_000`), the member as written in its object (`timeout:
 * 30_000`), or an object that holds the member among others (`{ at: '…', visibleAt: '…' }`, where the
 * member is `visibleAt`). One that is not an expression (a `for await` loop showing a query in use) is
 * not checked here.
 *
 * And every `@example` of a function, class or method the entry points export (public-entries.ts)
 * type-checks as a module a user writes: what it uses of the package imported from the entry point that
 * exports it, the values it names rather than builds (a client, an emulator, a request) declared as the
 * reader has them. The emulators' `demoEnv` examples called a name no entry point exports, and
 * nothing noticed.
 */
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { diagnosticsOf, inMemoryProgram, ROOT } from '../support/in-memory-program.js';
import { MEMBER_TYPES, publicCallables, publicMembers, type PublicCallable } from './public-entries.js';

/**
 * What examples may use without declaring it: the testing kit's exports (an emulator's credentials),
 * and the reader's own values an example names rather than builds.
 */
const PRELUDE = `
import * as testing from 'tributary/testing';
import type { fetch as UndiciFetch, ProxyAgent } from 'undici';
export {};
declare global {
  const undiciFetch: typeof UndiciFetch;
  const proxyAgent: ProxyAgent;
  const DEFAULT_FUJITSU_TENANT: typeof testing.DEFAULT_FUJITSU_TENANT;
  const json: typeof testing.json;
  const scaledClock: typeof import('tributary').scaledClock;
  const fileCheckpoint: typeof import('tributary').fileCheckpoint;
  const tines: typeof import('tributary/tines').tines;
  const informatica: typeof import('tributary/informatica').informatica;
  const options: import('tributary/informatica').InformaticaOptions;
  const baseUrl: string;
  const token: string;
  const cursor: string;
  const lastPage: import('tributary').Page<unknown>;
  const controller: AbortController;
  const error: unknown;
  const body: unknown;
${MEMBER_TYPES}  /** An object of one of \`T\`'s alternatives that holds some of its members. */
  type Holding<T> = T extends unknown ? Partial<T> : never;
}
`;

interface Example {
  /** `Type.member`, as public-docs.test.ts names it. */
  label: string;
  /** The type the member's value has, as a type expression over the entry points. */
  member: string;
  /** The type of the object holding it. */
  holder: string;
  name: string;
  text: string;
}

/** Every `@example` of every member a user passes. */
function examples(): Example[] {
  return publicMembers().members.flatMap(({ label, name, holder, member, declarations }) =>
    declarations
      .flatMap((declaration) => ts.getJSDocTags(declaration))
      .filter((tag) => tag.tagName.text === 'example')
      .map((tag) => ({ label, member, holder, name, text: ts.getTextOfJSDocComment(tag.comment)?.trim() ?? '' })),
  );
}

/** The example as an expression: the value after `name:` where it is written as the member. */
function asExpression(example: Example): string | undefined {
  const written = new RegExp(`^${example.name}\\s*:\\s*`).exec(example.text);
  const text = written ? example.text.slice(written[0].length) : example.text;
  const probe = ts.createSourceFile('probe.ts', `(\n${text}\n);`, ts.ScriptTarget.Latest, true);
  const statement = probe.statements[0];
  const parsed = (probe as unknown as { parseDiagnostics: readonly ts.Diagnostic[] }).parseDiagnostics;
  if (parsed.length > 0 || probe.statements.length !== 1 || statement === undefined || !ts.isExpressionStatement(statement)) return undefined;
  return text;
}

/** Whether an expression names the member: `name: value`, or `name` alone in an object. */
function shows(name: string, expression: string): boolean {
  return new RegExp(`[{,]\\s*${name}\\s*[:,}]`).test(expression);
}

/** Each check's diagnostics, by its index; the checks are compiled as one program. */
function diagnostics(checks: readonly string[]): Map<number, string[]> {
  const name = (index: number): string => `${ROOT}option-examples.${index}.ts`;
  const program = inMemoryProgram(new Map([[`${ROOT}option-examples.prelude.ts`, PRELUDE], ...checks.map((code, index) => [name(index), code] as const)]));
  const result = new Map<number, string[]>();
  checks.forEach((_code, index) => {
    const messages = diagnosticsOf(program, name(index)).map(
      (diagnostic) => `TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`,
    );
    if (messages.length > 0) result.set(index, messages);
  });
  return result;
}

describe('option examples', () => {
  it('every @example of a member a user passes type-checks as that member', () => {
    const all = examples();
    const checked = all.flatMap((example) => {
      const expression = asExpression(example);
      return expression === undefined ? [] : [{ example, expression }];
    });
    // Most examples are values; the few that are not are usage shown in a loop.
    expect(all.length).toBeGreaterThan(250);
    expect(checked.length / all.length).toBeGreaterThan(0.95);
    // Each form an example may take; it type-checks when one of those that fit it does.
    type Checked = (typeof checked)[number];
    const forms: Array<{ fits: (check: Checked) => boolean; code: (check: Checked) => string }> = [
      { fits: () => true, code: ({ example, expression }) => `const value: ${example.member} = (\n${expression}\n);` },
      // The member shown in its holder, by its name.
      {
        fits: ({ example, expression }) => expression.trimStart().startsWith('{') && shows(example.name, expression),
        code: ({ example, expression }) => `const holder: Holding<${example.holder}> = (\n${expression}\n);`,
      },
      // The member shown in the call that takes it (a factory's options).
      { fits: ({ example, expression }) => /^[\w.]+\(/.test(expression.trimStart()) && shows(example.name, expression), code: ({ expression }) => `void (\n${expression}\n);` },
    ];
    const tries = checked.flatMap((check, index) => forms.filter((form) => form.fits(check)).map((form) => ({ index, code: `${form.code(check)}\nexport {};\n` })));
    const found = diagnostics(tries.map(({ code }) => code));
    const failing = new Map<number, string[]>();
    tries.forEach(({ index }, at) => {
      const messages = found.get(at);
      if (failing.get(index)?.length === 0) return;
      failing.set(index, messages === undefined ? [] : [...(failing.get(index) ?? []), ...messages]);
    });
    const failed = [...failing].filter(([, messages]) => messages.length > 0).map(([index, messages]) => {
      const { example } = checked[index] as Checked;
      return `${example.label}: ${example.text}\n    ${messages.join('\n    ')}`;
    });
    expect(failed).toEqual([]);
  }, 120_000);
});

/** An `@example` of an exported function, class or method. */
interface CallableExample {
  label: string;
  /** The file that declares it, from the repository's root. */
  file: string;
  text: string;
}

function callableExamples(callables: readonly PublicCallable[]): CallableExample[] {
  return callables.flatMap(({ label, declaration }) =>
    ts
      .getJSDocTags(declaration)
      .filter((tag) => tag.tagName.text === 'example')
      .map((tag) => ({ label, file: declaration.getSourceFile().fileName.slice(ROOT.length), text: ts.getTextOfJSDocComment(tag.comment)?.trim() ?? '' })),
  );
}

/**
 * The example as a module a user writes: `...` where it leaves out what the reader has (`{ ..., fetch }`,
 * `for await (...) ...`) becomes a value of any type, spread where it stands among others; and `export`
 * goes (an emulator's author exports what the example defines, from a module of their own).
 */
function asModule(text: string): string {
  return text
    .replace(/([{([,]\s*)\.\.\.(?=\s*[,)}\]])/g, '$1...elided')
    .replace(/\.\.\.(?=\s*(?:$|[,)}\]]))/gm, 'elided')
    .replace(/^export\s+/gm, '');
}

/**
 * The type of a value an example names rather than builds, the reader's own: a client or an emulator
 * of the vendor whose file the example is in, a request, a store. `any` where the reader's value is
 * their own code (a store of tokens, an emulator's helpers): the calls into the package are still
 * checked.
 */
function readerValue(name: string, file: string): string | undefined {
  const vendor = /^src\/providers\/(\w+)\//.exec(file)?.[1];
  const titled = vendor === undefined ? '' : `${vendor[0]?.toUpperCase()}${vendor.slice(1)}`;
  const testing = "import('tributary/testing')";
  const values: Record<string, string | undefined> = {
    event: "import('tributary').TributaryEvent",
    pce: "import('tributary/illumio').IllumioClient",
    tinesClient: "import('tributary/tines').TinesClient",
    k5: "import('tributary/fujitsu').FujitsuClient",
    cih: "import('tributary/informatica').InformaticaClient",
    client: vendor === undefined ? undefined : `import('tributary/${vendor}').${titled}Client`,
    emulator: vendor === undefined ? `${testing}.Emulator` : `ReturnType<typeof ${testing}.${vendor}Emulator.create>`,
    store: file === 'src/core/watch.ts' ? '(items: unknown[]) => Promise<void>' : file.includes('socotra/') ? `${testing}.SocotraStore` : 'any',
    server: `${testing}.EmulatorServer`,
    setupServer: "typeof import('msw/node').setupServer",
    main: '(env: Record<string, string | undefined>) => Promise<string[]>',
    request: 'Request',
    query: 'URLSearchParams',
    clock: "import('tributary').Clock",
    router: `${testing}.Router<${testing}.EmulatorContext<any, any>>`,
    user: 'string',
    lastSeenId: 'number',
    apiKey: 'string',
    apiSecret: 'string',
    createIllumioStore: 'any',
    list: 'any',
    find: 'any',
  };
  return values[name];
}

/** The reader's own types an example names. */
const READER_TYPES: Record<string, string> = { Store: 'unknown', Options: 'object', IllumioStore: 'unknown' };

describe('function examples', () => {
  it('every @example of an exported function, class or method type-checks as code a user writes', () => {
    const { callables, exports } = publicCallables();
    const all = callableExamples(callables);
    expect(all.length).toBeGreaterThan(40);
    const declares = (text: string, name: string): boolean => new RegExp(`\\b(?:const|let|var|function|class)\\s+${name}\\b`).test(text);
    const uses = (text: string, name: string): boolean => new RegExp(`(?<![\\w.$])${name}\\b`).test(text);
    const checks = all.map(({ text, file }) => {
      const code = asModule(text);
      const imported = new Map<string, string>();
      for (const { specifier, name, value } of exports) {
        if (imported.has(name) || !uses(code, name) || declares(code, name)) continue;
        imported.set(name, `import { ${value ? '' : 'type '}${name} } from '${specifier}';`);
      }
      const reader = [...code.matchAll(/(?<![\w.$'])[A-Za-z_$][\w$]*/g)].map(([name]) => name);
      const values = [...new Set(reader)].flatMap((name) => {
        const type = declares(code, name) || imported.has(name) ? undefined : readerValue(name, file);
        return type === undefined ? [] : [`declare const ${name}: ${type};`];
      });
      const types = Object.entries(READER_TYPES).flatMap(([name, type]) => (uses(code, name) ? [`type ${name} = ${type};`] : []));
      return [...imported.values(), ...values, ...types, 'declare const elided: any;', code, 'export {};', ''].join('\n');
    });
    const found = diagnostics(checks);
    const failed = [...found].map(([index, messages]) => `${(all[index] as CallableExample).label}: ${(all[index] as CallableExample).text}\n    ${messages.join('\n    ')}`);
    expect(failed).toEqual([]);
  }, 120_000);
});
