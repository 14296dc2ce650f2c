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
 */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ENTRIES, OPAQUE } from './public-entries.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The package specifier of each entry file, as a user imports it. */
const SPECIFIERS: Record<string, string> = {
  'src/index.ts': 'tributary',
  'src/redis/index.ts': 'tributary/redis',
  'src/testing/index.ts': 'tributary/testing',
};

/** The type arguments of a generic entry, for its members' types. */
const TYPE_ARGUMENTS: Record<string, string> = { EmulatorSpec: '<unknown>' };

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
  /** A value of \`T[K]\` for one alternative of a union \`T\` that has \`K\`. */
  type Member<T, K extends PropertyKey> = T extends unknown ? (K extends keyof T ? Exclude<T[K], undefined> : never) : never;
  type ItemOf<T> = T extends readonly (infer E)[] ? E : never;
  /** An object of one of \`T\`'s alternatives that holds some of its members. */
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

function compilerOptions(): ts.CompilerOptions {
  const file = `${root}tsconfig.json`;
  const config = ts.readConfigFile(file, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root, undefined, file);
  return { ...parsed.options, noEmit: true, declaration: false, moduleDetection: ts.ModuleDetectionKind.Force };
}

/** Every `@example` of every member reachable from `ENTRIES`, with the type expression of its member. */
function examples(): Example[] {
  const program = ts.createProgram(
    Object.keys(ENTRIES).map((file) => root + file),
    compilerOptions(),
  );
  const checker = program.getTypeChecker();
  const ours = (node: ts.Node): boolean => node.getSourceFile().fileName.startsWith(`${root}src/`);
  const found: Example[] = [];
  const seen = new Set<ts.Type>();
  const walk = (label: string, expression: string, type: ts.Type): void => {
    if (seen.has(type)) return;
    seen.add(type);
    for (const part of type.isUnion() ? type.types : [type]) {
      if (!(part.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection))) continue;
      if (checker.getSignaturesOfType(part, ts.SignatureKind.Call).length > 0) continue;
      if (part.isIntersection() && part.types.some((member) => !(member.flags & ts.TypeFlags.Object))) continue;
      if (checker.isArrayType(part) || checker.isTupleType(part)) {
        for (const element of checker.getTypeArguments(part as ts.TypeReference)) walk(`${label}[]`, `ItemOf<${expression}>`, element);
        continue;
      }
      if (OPAQUE.has(part.aliasSymbol?.name ?? part.symbol?.name ?? '')) continue;
      if (!part.isIntersection() && part.symbol?.declarations?.some(ours) !== true) continue;
      for (const property of checker.getPropertiesOfType(part)) {
        const declarations = (property.declarations ?? []).filter(ts.isPropertySignature);
        if (declarations.length === 0) continue;
        const member = `Member<${expression}, ${JSON.stringify(property.name)}>`;
        for (const tag of declarations.flatMap((declaration) => ts.getJSDocTags(declaration))) {
          if (tag.tagName.text !== 'example') continue;
          const text = ts.getTextOfJSDocComment(tag.comment)?.trim() ?? '';
          found.push({ label: `${label}.${property.name}`, member, holder: expression, name: property.name, text });
        }
        walk(`${label}.${property.name}`, member, checker.getNonNullableType(checker.getTypeOfSymbol(property)));
      }
    }
  };
  for (const [file, names] of Object.entries(ENTRIES)) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(root + file) as ts.SourceFile) as ts.Symbol;
    const exported = new Map(checker.getExportsOfModule(module).map((symbol) => [symbol.name, symbol]));
    for (const name of names) {
      const symbol = exported.get(name) as ts.Symbol;
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      walk(name, `import(${JSON.stringify(SPECIFIERS[file])}).${name}${TYPE_ARGUMENTS[name] ?? ''}`, checker.getDeclaredTypeOfSymbol(target));
    }
  }
  return found;
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
  const options = compilerOptions();
  const preludeFile = `${root}option-examples.prelude.ts`;
  const files = new Map(checks.map((code, index) => [`${root}option-examples.${index}.ts`, code]));
  const texts = new Map([...files, [preludeFile, PRELUDE]]);
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, onError, create) => {
    const text = texts.get(name);
    return text === undefined ? getSourceFile.call(host, name, language, onError, create) : ts.createSourceFile(name, text, language, true);
  };
  host.fileExists = (name) => texts.has(name) || fileExists.call(host, name);
  host.readFile = (name) => texts.get(name) ?? readFile.call(host, name);
  const program = ts.createProgram({ rootNames: [preludeFile, ...files.keys()], options, host });
  const result = new Map<number, string[]>();
  [...files.keys()].forEach((name, index) => {
    const source = program.getSourceFile(name) as ts.SourceFile;
    const messages = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map(
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
