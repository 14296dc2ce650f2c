/**
 * `tributary --help` and the README's CLI section describe one command: the same commands and flags,
 * the same ways to ask for help, the same `--type` filter of each vendor, the same default interval and
 * the same environment variables. Either may change; this says when they no longer agree.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { cliInProcess } from '../support/cli-in-process.js';

/** The README from `## CLI` to the next section of its level. */
async function readmeCli(): Promise<string> {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('\n## CLI\n');
  const end = readme.indexOf('\n## ', start + 1);
  expect(start).toBeGreaterThan(-1);
  return readme.slice(start, end === -1 ? undefined : end);
}

const flagsIn = (text: string) => [...new Set(text.match(/(?<![\w-])--[a-z][a-z-]*/g))].sort();

describe('tributary --help and the README', async () => {
  const readme = await readmeCli();
  const { stdout: usage } = await cliInProcess(['--help'], {});

  it('name the same flags', () => {
    expect(flagsIn(readme)).toEqual(flagsIn(usage));
  });

  it('name the same commands and ways to ask for help', () => {
    const commands = (text: string) => [...new Set([...text.matchAll(/\btributary (pull|watch|emulate)\b/g)].map((match) => match[1]))].sort();
    expect(commands(usage)).toEqual(commands(readme));
    expect(commands(usage)).toEqual(['emulate', 'pull', 'watch']);
    expect(readme).toContain('`--help`, `-h` or `help` print it to stdout');
    expect(usage).toMatch(/^ {2}tributary help \| -h \| --help /m);
  });

  it('give each vendor the same --type filter', () => {
    const sentence = /`--type` sets each vendor's type filter: ([^;]+);/.exec(readme)?.[1] ?? '';
    const documented = new Map<string, string>();
    for (const [, option, vendors] of sentence.matchAll(/`(\w+)` \(([^)]+)\)/g)) {
      for (const vendor of (vendors as string).split(', ')) documented.set(vendor.toLowerCase(), option as string);
    }
    expect(readme).toMatch(/Tines events have no type to filter on, so there it is a usage error/);
    documented.set('tines', '(none)');
    const listed = /--type <type>.*\n\s+(.+)\n/.exec(usage)?.[1] ?? '';
    const inUsage = new Map(listed.split(', ').map((pair) => pair.split(' ') as [string, string]));
    expect(inUsage).toEqual(documented);
    expect(inUsage.size).toBe(5);
  });

  it('give --interval the same default and least value', () => {
    const documented = /`--interval` \(seconds between polls, (\d+) by default\)/.exec(readme)?.[1];
    const line = /--interval <seconds> .*/.exec(usage)?.[0] ?? '';
    expect(documented).toBeDefined();
    expect(line).toContain(`(default ${documented as string}, at least 1)`);
    expect(readme).toMatch(/`--limit` and `--interval` \([^)]*\) are at least 1/);
    expect(usage).toMatch(/--limit <n> .*\(n >= 1\)/);
  });

  it('take options from the same environment variables', () => {
    for (const text of [readme, usage]) {
      expect(text).toContain('TRIBUTARY_<PROVIDER>_<OPTION>');
      expect(text).toMatch(/never from flags/);
    }
  });
});
