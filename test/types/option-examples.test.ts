/**
 * Every `@example` of what the entry points export (public-entries.ts) type-checks, under the
 * project's compiler options, as an editor shows it and a user copies it. The `fetch` option's
 * example (undici's `fetch` with a `ProxyAgent`) once did not, nor did the emulators' `demoEnv`
 * examples, which called a name no entry point exports; nothing noticed.
 *
 * An example shows one of two things:
 * - A value, where what it documents holds one: a type (`Checkpoint`, a query, `EmulatorRateLimit`), a
 *   member a user passes (the ENTRIES of public-entries.ts, down to the objects they hold), any other
 *   property of an exported type, an enum's member. It is checked as a value of that type,
 *   `const value: Checkpoint = (<example>)`; a member's also as the member written in its object
 *   (`timeout: 30_000`), in an object that holds it among others (`{ at: '…', visibleAt: '…' }`, where
 *   the member is `visibleAt`), or in the call that takes it; it type-checks when one of the forms that
 *   fit it does.
 * - Code: the example of a function, class, method or value, of an entry point itself, and one of the
 *   above that is not an expression (a `for await` loop showing a query in use). It is checked as a
 *   module a user writes: what it uses of the package imported from the entry point that exports it,
 *   the values it names rather than builds (a client, an emulator, a request) declared as the reader
 *   has them.
 *
 * All of them are compiled as one program: one for each group built the same checker of the same
 * package again.
 */
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { diagnosticsOf, inMemoryProgram, ROOT } from '../support/in-memory-program.js';
import { MEMBER_TYPES, publicDeclarations, publicMembers, type PublicExport } from './public-entries.js';

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
  const redis: import('ioredis').Redis;
  const error: unknown;
  const body: unknown;
${MEMBER_TYPES}  /** An object of one of \`T\`'s alternatives that holds some of its members. */
  type Holding<T> = T extends unknown ? Partial<T> : never;
}
`;

interface Example {
  /** `Type.member`, as public-docs.test.ts names it; `tributary/redis` for an entry point's own. */
  label: string;
  /** The file that declares it, from the repository's root. */
  file: string;
  text: string;
  /** For a value: its type, as a type expression over the entry points, and a member's name and holder. */
  value?: { type: string; member?: { name: string; holder: string } };
}

/** The text of each `@example` of `declaration`. */
function examplesOf(declaration: ts.Node): string[] {
  return ts
    .getJSDocTags(declaration)
    .filter((tag) => tag.tagName.text === 'example')
    .map((tag) => ts.getTextOfJSDocComment(tag.comment)?.trim() ?? '');
}

/**
 * Every `@example` of what the entry points export: those of the members a user passes, in each holder
 * publicMembers walks them in, then those of every other declaration and member; and the names the
 * entry points export, for the code's imports.
 */
function examples(): { all: Example[]; exports: PublicExport[] } {
  const fileOf = (node: ts.Node): string => node.getSourceFile().fileName.slice(ROOT.length);
  const { members } = publicMembers();
  const options = new Set<ts.Node>(members.flatMap(({ declarations }) => declarations));
  const { declarations, exports } = publicDeclarations();
  const all = [
    ...members.flatMap(({ label, name, holder, member, declarations: declared }) =>
      declared.flatMap((declaration) =>
        examplesOf(declaration).map((text): Example => ({ label, file: fileOf(declaration), text, value: { type: member, member: { name, holder } } })),
      ),
    ),
    ...declarations
      .filter(({ declaration }) => !options.has(declaration))
      .flatMap(({ label, declaration, value }) =>
        examplesOf(declaration).map((text): Example => ({ label, file: fileOf(declaration), text, ...(value === undefined ? {} : { value }) })),
      ),
  ];
  return { all, exports };
}

/** The example as an expression: the value after `name:` where it is written as the member. */
function asExpression(name: string | undefined, text: string): string | undefined {
  const written = name === undefined ? null : new RegExp(`^${name}\\s*:\\s*`).exec(text);
  const expression = written ? text.slice(written[0].length) : text;
  const probe = ts.createSourceFile('probe.ts', `(\n${expression}\n);`, ts.ScriptTarget.Latest, true);
  const statement = probe.statements[0];
  const parsed = (probe as unknown as { parseDiagnostics: readonly ts.Diagnostic[] }).parseDiagnostics;
  if (parsed.length > 0 || probe.statements.length !== 1 || statement === undefined || !ts.isExpressionStatement(statement)) return undefined;
  return expression;
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
 * The type of a value an example names rather than builds, the reader's own: a client, an emulator or
 * the options of the vendor whose file the example is in (else whose factory it calls), a request, a
 * store. `any` where the reader's value is their own code (a store of tokens, an emulator's helpers):
 * the calls into the package are still checked.
 */
function readerValue(name: string, file: string, code: string): string | undefined {
  const vendor = /^src\/providers\/(\w+)\//.exec(file)?.[1] ?? /\b(socotra|tines|fujitsu|illumio|informatica)\(/.exec(code)?.[1];
  const titled = vendor === undefined ? '' : `${vendor[0]?.toUpperCase()}${vendor.slice(1)}`;
  const testing = "import('tributary/testing')";
  const values: Record<string, string | undefined> = {
    event: "import('tributary').TributaryEvent",
    pce: "import('tributary/illumio').IllumioClient",
    tinesClient: "import('tributary/tines').TinesClient",
    k5: "import('tributary/fujitsu').FujitsuClient",
    cih: "import('tributary/informatica').InformaticaClient",
    client: vendor === undefined ? undefined : `import('tributary/${vendor}').${titled}Client`,
    options: vendor === undefined ? undefined : `import('tributary/${vendor}').${titled}Options`,
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
    username: 'string',
    password: 'string',
    createIllumioStore: 'any',
    list: 'any',
    find: 'any',
  };
  return values[name];
}

/** The reader's own types an example names. */
const READER_TYPES: Record<string, string> = { Store: 'unknown', Options: 'object', IllumioStore: 'unknown' };

/** The example as a module a user writes, with its imports and the reader's values it names. */
function asCode({ text, file }: Example, exports: readonly PublicExport[]): string {
  const code = asModule(text);
  const declares = (name: string): boolean =>
    new RegExp(`\\b(?:const|let|var|function|class)\\s+${name}\\b|^import\\b[^;]*[{,]\\s*${name}\\s*[,}]`, 'm').test(code);
  const uses = (name: string): boolean => new RegExp(`(?<![\\w.$])${name}\\b`).test(code);
  const imported = new Map<string, string>();
  for (const { specifier, name, value } of exports) {
    if (imported.has(name) || !uses(name) || declares(name)) continue;
    imported.set(name, `import { ${value ? '' : 'type '}${name} } from '${specifier}';`);
  }
  // A name not after a `.` of a member access (a spread's `...` is not one).
  const reader = [...code.matchAll(/(?<![\w$'])(?<![^.]\.)[A-Za-z_$][\w$]*/g)].map(([name]) => name);
  const values = [...new Set(reader)].flatMap((name) => {
    const type = declares(name) || imported.has(name) ? undefined : readerValue(name, file, code);
    return type === undefined ? [] : [`declare const ${name}: ${type};`];
  });
  const types = Object.entries(READER_TYPES).flatMap(([name, type]) => (uses(name) ? [`type ${name} = ${type};`] : []));
  return [...imported.values(), ...values, ...types, 'declare const elided: any;', code, 'export {};', ''].join('\n');
}

type Value = NonNullable<Example['value']>;

/** Each form a value's example may take, as the code that checks it. */
const FORMS: Array<{ fits: (value: Value, expression: string) => boolean; code: (value: Value, expression: string) => string }> = [
  { fits: () => true, code: ({ type }, expression) => `const value: ${type} = (\n${expression}\n);` },
  // A member shown in its holder, by its name.
  {
    fits: ({ member }, expression) => member !== undefined && expression.trimStart().startsWith('{') && shows(member.name, expression),
    code: ({ member }, expression) => `const holder: Holding<${member?.holder ?? 'never'}> = (\n${expression}\n);`,
  },
  // A member shown in the call that takes it (a factory's options).
  {
    fits: ({ member }, expression) => member !== undefined && /^[\w.]+\(/.test(expression.trimStart()) && shows(member.name, expression),
    code: (_value, expression) => `void (\n${expression}\n);`,
  },
];

interface Failure {
  example: Example;
  /** Whether it was checked as a value, else as code. */
  asValue: boolean;
  messages: string[];
}

/**
 * The examples that do not type-check, with their diagnostics (a value's fails when every form that
 * fits it does), and how many were checked as values.
 */
function check(all: readonly Example[], exports: readonly PublicExport[]): { failures: Failure[]; values: number } {
  const tries = all.flatMap((example, index) => {
    const { value } = example;
    const expression = value && asExpression(value.member?.name, example.text);
    if (value === undefined || expression === undefined) return [{ index, asValue: false, code: asCode(example, exports) }];
    return FORMS.filter((form) => form.fits(value, expression)).map((form) => ({ index, asValue: true, code: `${form.code(value, expression)}\nexport {};\n` }));
  });
  const found = diagnostics(tries.map(({ code }) => code));
  const outcomes = new Map<number, Failure | 'passed'>();
  tries.forEach(({ index, asValue }, at) => {
    const messages = found.get(at);
    const before = outcomes.get(index);
    if (before === 'passed') return;
    outcomes.set(index, messages === undefined ? 'passed' : { example: all[index] as Example, asValue, messages: [...(before?.messages ?? []), ...messages] });
  });
  return {
    failures: [...outcomes.values()].filter((outcome): outcome is Failure => outcome !== 'passed'),
    values: new Set(tries.filter(({ asValue }) => asValue).map(({ index }) => index)).size,
  };
}

const report = ({ example, messages }: Failure): string => `${example.label}: ${example.text}\n    ${messages.join('\n    ')}`;

/** Examples broken on purpose, each in the place of one walked: they go through the same checks. */
function broken(all: readonly Example[]): Example[] {
  const like = (label: string, text: string): Example => {
    const example = all.find((candidate) => candidate.label === label);
    if (example === undefined) throw new Error(`no example of ${label}`);
    return { ...example, label: `broken ${label}`, text };
  };
  return [
    like('Checkpoint', "{ load: () => redis.get('pce.cursor') }"),
    like('CommonOptions.timeout', "timeout: '30 seconds'"),
    like('socotra', "const client = socotra({ baseUrl: 42, tenantLocator: 'acme', token });"),
  ];
}

let checked: { all: Example[]; failures: Failure[]; values: number } | undefined;

/** The walked examples and the broken ones, checked once for the tests below. */
function checkedExamples(): { all: Example[]; failures: Failure[]; values: number } {
  if (checked !== undefined) return checked;
  const { all, exports } = examples();
  checked = { all, ...check([...all, ...broken(all)], exports) };
  return checked;
}

const walked = (failure: Failure): boolean => !failure.example.label.startsWith('broken ');

describe('examples', () => {
  it('every @example of a type, or of a member that holds a value, type-checks as a value of it', () => {
    const { all, failures, values } = checkedExamples();
    // Most are values; the few that are not are usage shown in a loop, checked as code.
    expect(values / all.filter((example) => example.value !== undefined).length).toBeGreaterThan(0.95);
    expect(values).toBeGreaterThan(250);
    expect(all.map(({ label }) => label)).toEqual(expect.arrayContaining(['Checkpoint', 'EmulatorRateLimit', 'TinesListQuery', 'SocotraFailedJobKey.triggerName']));
    expect(failures.filter((failure) => failure.asValue && walked(failure)).map(report)).toEqual([]);
  }, 120_000);

  it('every other @example of what the entry points export, and of the entry points, type-checks as code a user writes', () => {
    const { all, failures } = checkedExamples();
    expect(all.filter((example) => example.value === undefined).length).toBeGreaterThan(40);
    expect(all.map(({ label }) => label)).toEqual(expect.arrayContaining(['merge', 'tributary/redis', 'tributary/informatica']));
    expect(failures.filter((failure) => !failure.asValue && walked(failure)).map(report)).toEqual([]);
  }, 120_000);

  it('an example that does not type-check is reported, checked as a value or as code', () => {
    const reported = checkedExamples().failures.filter((failure) => !walked(failure));
    expect(reported.map(({ example, asValue }) => [example.label, asValue])).toEqual([
      ['broken Checkpoint', true],
      ['broken CommonOptions.timeout', true],
      ['broken socotra', false],
    ]);
    for (const { messages } of reported) expect(messages[0]).toMatch(/^TS\d+ /);
  }, 120_000);
});
