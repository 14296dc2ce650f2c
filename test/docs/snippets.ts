/**
 * The TypeScript blocks of a Markdown file, as programs to type-check. A block is a module of its own,
 * unless an HTML comment on the line before its fence says otherwise:
 *
 * - `<!-- snippet: continues -->`: the block goes on from the one before (it uses what that one
 *   declared), and both are checked as one module;
 * - `<!-- snippet: mirrors <Name> -->`: the block declares a copy of the type `tributary` exports as
 *   `<Name>`, to show its shape; it is checked as a module of its own, and the two must be the same type
 *   (with their type parameters' defaults);
 * - `<!-- snippet: skip: <why> -->`: not checked, for a block that cannot be checked at all. The reason
 *   is required, so that a skip says what it costs.
 */

/** One program made of one or more blocks, and where each of its lines stands in the Markdown file. */
export interface Snippet {
  /** The Markdown line of the first line of code (1-based). */
  line: number;
  code: string;
  /** For each line of `code`, its line in the Markdown file and the indentation cut from it. */
  origins: Array<{ line: number; indent: number }>;
}

export interface SkippedBlock {
  line: number;
  reason: string;
}

export interface Snippets {
  snippets: Snippet[];
  skipped: SkippedBlock[];
  /** Blocks counted one by one, continued ones included. */
  blocks: number;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;
const DIRECTIVE = /^\s*<!--\s*snippet:\s*(.*?)\s*-->\s*$/;
const TYPESCRIPT = new Set(['ts', 'typescript', 'tsx', 'mts']);

/** The TypeScript blocks of `markdown`; a directive it does not understand throws, naming its line. */
export function extractSnippets(markdown: string): Snippets {
  const lines = markdown.split(/\r?\n/);
  const snippets: Snippet[] = [];
  const skipped: SkippedBlock[] = [];
  let blocks = 0;
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] as string);
    if (open === null) continue;
    const [, indent = '', fence = '', language = ''] = open;
    const end = closingFence(lines, i, fence);
    if (TYPESCRIPT.has(language.toLowerCase())) {
      blocks++;
      const directive = directiveBefore(lines, i);
      const body = lines.slice(i + 1, end).map((text, k) => {
        const cut = text.startsWith(indent) ? indent.length : 0;
        return { text: text.slice(cut), origin: { line: i + 2 + k, indent: cut } };
      });
      const code = body.map((row) => row.text).join('\n');
      const origins = body.map((row) => row.origin);
      const mirrored = /^mirrors\s+(\w+)$/.exec(directive ?? '')?.[1];
      if (directive === undefined) {
        snippets.push({ line: i + 2, code, origins });
      } else if (mirrored !== undefined) {
        // Diagnostics of the comparison point at the block's first line.
        const footer = mirrorCheck(mirrored);
        snippets.push({ line: i + 2, code: `${code}\n${footer}`, origins: [...origins, ...footer.split('\n').map(() => ({ line: i + 2, indent: 0 }))] });
      } else if (directive === 'continues') {
        const previous = snippets.at(-1);
        if (previous === undefined) throw new Error(`line ${i + 1}: "snippet: continues" with no block before it`);
        previous.code += `\n${code}`;
        previous.origins.push(...origins);
      } else if (directive.startsWith('skip')) {
        const reason = directive.slice('skip'.length).replace(/^\s*[:—-]\s*/, '').trim();
        if (reason === '') throw new Error(`line ${i + 1}: "snippet: skip" needs a reason ("snippet: skip: <why>")`);
        skipped.push({ line: i + 2, reason });
      } else {
        throw new Error(`line ${i + 1}: unknown directive "snippet: ${directive}" (continues, mirrors <Name>, or skip: <why>)`);
      }
    }
    i = end;
  }
  return { snippets, skipped, blocks };
}

/** The index of the line that closes the fence opened at `open`, or the last line when none does. */
function closingFence(lines: readonly string[], open: number, fence: string): number {
  for (let j = open + 1; j < lines.length; j++) {
    const text = (lines[j] as string).trim();
    if (text.startsWith(fence) && text.slice(fence.length).trim() === '' && text[0] === fence[0]) return j;
  }
  return lines.length - 1;
}

/** The directive of the comment on the last non-blank line before the fence at `at`, if any. */
function directiveBefore(lines: readonly string[], at: number): string | undefined {
  for (let j = at - 1; j >= 0; j--) {
    const text = lines[j] as string;
    if (text.trim() === '') continue;
    return DIRECTIVE.exec(text)?.[1];
  }
  return undefined;
}

/**
 * Code that compiles only when the block's `name` and the one `tributary` exports are the same type:
 * each is assignable to the other and neither is `any`.
 */
function mirrorCheck(name: string): string {
  return [
    `import type { ${name} as Exported${name} } from 'tributary';`,
    `type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;`,
    `export const mirrors${name}: Same<${name}, Exported${name}> = true;`,
  ].join('\n');
}
