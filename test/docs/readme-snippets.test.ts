/**
 * Every TypeScript block of README.md type-checks against the sources, under the project's compiler
 * options (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess), with `tributary` and its
 * subpaths resolved to src/ as tsconfig.json `paths` map them: a renamed option, a changed type or a
 * missing import in the README fails here, naming its line. Each block is an ES module (top-level
 * `await` allowed); see snippets.ts for the comments that join or skip blocks. All blocks are checked
 * in one program, as one program costs seconds and one per block would cost a minute.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { diagnosticsOf, inMemoryProgram, ROOT } from '../support/in-memory-program.js';
import { extractSnippets, type Snippet } from './snippets.js';

/**
 * What a block may use without declaring it: the reader's own values, which an example names rather
 * than builds (their credentials, their store, the options they already pass). Nothing tributary
 * exports is here: a block imports what it uses of the package.
 */
const PRELUDE = `
declare const apiKey: string;
declare const apiSecret: string;
declare const options: import('tributary/illumio').IllumioOptions;
declare let saved: string | undefined;
declare function store(items: readonly unknown[]): Promise<void>;
`;

/** `README.md:line:column TSnnnn message` for each diagnostic of the snippets, in README order. */
function check(snippets: readonly Snippet[]): string[] {
  // Beside package.json, so that the package's "type": "module" makes each block an ES module.
  const files = new Map(snippets.map((snippet) => [`${ROOT}README.md.${snippet.line}.ts`, snippet]));
  const texts = new Map([[`${ROOT}README.md.prelude.d.ts`, PRELUDE], ...[...files].map(([name, snippet]) => [name, snippet.code] as const)]);
  const program = inMemoryProgram(texts);
  const found: Array<{ line: number; text: string }> = [];
  for (const [name, snippet] of files) {
    const source = program.getSourceFile(name) as ts.SourceFile;
    for (const diagnostic of diagnosticsOf(program, name)) {
      const at = source.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      const origin = snippet.origins[at.line] ?? { line: snippet.line, indent: 0 };
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n    ');
      found.push({ line: origin.line, text: `README.md:${origin.line}:${origin.indent + at.character + 1} TS${diagnostic.code} ${message}` });
    }
  }
  return found.sort((a, b) => a.line - b.line).map((diagnostic) => diagnostic.text);
}

describe('README snippets', () => {
  const markdown = [
    '```ts',
    "import { tines } from 'tributary/tines';",
    '```',
    '- in a list:',
    '  <!-- snippet: continues -->',
    '  ```ts',
    "  const client = tines({ baseUrl: 'https://tenant.tines.com', tokn: 'x' });",
    '  ```',
    '<!-- snippet: skip: a shape -->',
    '```typescript',
    'interface Shape { a: Unknown }',
    '```',
  ].join('\n');

  it('joins a continued block to the one before, skips a skipped one with its reason', () => {
    const { snippets, skipped, blocks } = extractSnippets(markdown);
    expect(blocks).toBe(3);
    expect(snippets.map((snippet) => snippet.code)).toEqual([
      "import { tines } from 'tributary/tines';\nconst client = tines({ baseUrl: 'https://tenant.tines.com', tokn: 'x' });",
    ]);
    expect(skipped).toEqual([{ line: 11, reason: 'a shape' }]);
  });

  it('holds a block that mirrors an exported type to that type', () => {
    const mirror = (fields: string) =>
      ['<!-- snippet: mirrors Actor -->', '```ts', `interface Actor { ${fields} }`, '```'].join('\n');
    expect(check(extractSnippets(mirror('kind: string; id?: string | undefined; name?: string | undefined')).snippets)).toEqual([]);
    expect(check(extractSnippets(mirror('kind: string; id?: string | undefined')).snippets)).toEqual([
      expect.stringMatching(/^README\.md:3:\d+ TS2322 /),
    ]);
  }, 60_000);

  it('refuses a skip without a reason and a directive it does not know', () => {
    expect(() => extractSnippets('<!-- snippet: skip -->\n```ts\nx\n```')).toThrow(/line 2: .*needs a reason/);
    expect(() => extractSnippets('<!-- snippet: only -->\n```ts\nx\n```')).toThrow(/line 2: unknown directive/);
  });

  it("names a diagnostic's line and column in the Markdown file", () => {
    expect(check(extractSnippets(markdown).snippets)).toEqual([
      expect.stringMatching(/^README\.md:7:63 TS2561 .*'tokn' does not exist in type 'TinesOptions'/),
    ]);
  }, 60_000);
});

describe('README.md', () => {
  const { snippets, skipped, blocks } = extractSnippets(readFileSync(`${ROOT}README.md`, 'utf8'));

  it('has TypeScript blocks to check, and skips few of them', () => {
    expect(blocks - skipped.length).toBeGreaterThan(10);
    expect(skipped.length).toBeLessThanOrEqual(Math.ceil(blocks / 10));
  });

  it('every TypeScript block type-checks against the sources', () => {
    expect(check(snippets)).toEqual([]);
  }, 60_000);
});
