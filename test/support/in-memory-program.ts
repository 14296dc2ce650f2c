/**
 * A TypeScript program under the project's own compiler options (tsconfig.json: strict,
 * exactOptionalPropertyTypes, noUncheckedIndexedAccess, `tributary` and its subpaths mapped to src/),
 * for the tests that type-check code a user would write: the README's blocks, the options' examples.
 */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository's root, with its trailing slash. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The compiler options of tsconfig.json, for checking rather than emitting. */
export function projectCompilerOptions(): ts.CompilerOptions {
  const file = `${ROOT}tsconfig.json`;
  const config = ts.readConfigFile(file, ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT, undefined, file);
  return {
    ...parsed.options,
    noEmit: true,
    declaration: false,
    // A file without an import is a module all the same, so two files' `const client` do not collide.
    moduleDetection: ts.ModuleDetectionKind.Force,
  };
}

/**
 * The files on disk as parsed for one file of tests, shared by its programs: a second program parsed
 * the package and its libraries (lib.dom.d.ts among them) again, which took about a second. A parsed
 * file does not change, and TypeScript's own language service shares them among programs the same way.
 */
const parsed = new Map<string, ts.SourceFile>();

/**
 * One program of files that exist only in memory (`texts`, by absolute name; name them beside
 * package.json, whose "type": "module" makes each an ES module), and of the files on disk `roots`
 * names, beside the files on disk they import.
 */
export function inMemoryProgram(texts: ReadonlyMap<string, string>, roots: readonly string[] = []): ts.Program {
  const options = projectCompilerOptions();
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, onError, create) => {
    const text = texts.get(name);
    if (text !== undefined) return ts.createSourceFile(name, text, language, true);
    const file = parsed.get(name) ?? getSourceFile.call(host, name, language, onError, create);
    if (file !== undefined) parsed.set(name, file);
    return file;
  };
  host.fileExists = (name) => texts.has(name) || fileExists.call(host, name);
  host.readFile = (name) => texts.get(name) ?? readFile.call(host, name);
  return ts.createProgram({ rootNames: [...roots, ...texts.keys()], options, host });
}

/** The syntactic and semantic diagnostics of one file of `program`. */
export function diagnosticsOf(program: ts.Program, name: string): ts.Diagnostic[] {
  const source = program.getSourceFile(name) as ts.SourceFile;
  return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
}
