/**
 * The type each provider's methods table in README.md gives a method's result is the type the method
 * returns, compared exactly by the compiler: Informatica's rows spelt it `TributaryEvent<'informatica',
 * InformaticaEvent>`, which types `data` as any record, where the method returns
 * `InformaticaTributaryEvent` with its `InformaticaEventData`. Rows are read under each provider's
 * heading, from the table's first cell (the method) and the first code of its last cell (the type).
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { diagnosticsOf, inMemoryProgram, ROOT } from '../support/in-memory-program.js';

const CLIENTS: Record<string, { subpath: string; client: string }> = {
  Socotra: { subpath: 'socotra', client: 'SocotraClient' },
  Tines: { subpath: 'tines', client: 'TinesClient' },
  'FUJITSU K5 DBaaS': { subpath: 'fujitsu', client: 'FujitsuClient' },
  'Illumio Core PCE': { subpath: 'illumio', client: 'IllumioClient' },
  'Informatica Cloud Integration Hub': { subpath: 'informatica', client: 'InformaticaClient' },
};
const ROOT_NAMES = new Set(['Paginated', 'Promise', 'TributaryEvent', 'Page']);

interface Row {
  line: number;
  provider: string;
  method: string;
  type: string;
}

/** The rows of every methods table, and the Illumio-style headings that give a method and its type. */
function rowsOf(markdown: string): Row[] {
  const rows: Row[] = [];
  let provider: string | undefined;
  markdown.split('\n').forEach((text, index) => {
    const heading = /^### (.+)$/.exec(text);
    if (heading) provider = CLIENTS[heading[1] as string] === undefined ? undefined : heading[1];
    if (provider === undefined) return;
    const row = /^\| `(?:\w+\.)?((?:events|schedules)\.[\w.]+)\(.*\|\s*`((?:Paginated|Promise)<[^`]+>)`[^|]*\|?\s*$/.exec(text);
    const titled = /^#{4,5} `\w+\.((?:events|schedules)\.[\w.]+)\(.*→ `((?:Paginated|Promise)<[^`]+>)`/.exec(text);
    const found = row ?? titled;
    if (found) rows.push({ line: index + 1, provider, method: found[1] as string, type: found[2] as string });
  });
  return rows;
}

/** A module per row, so that each imports the names of its own provider. */
function moduleOf(row: Row): string {
  const { subpath, client } = CLIENTS[row.provider] as { subpath: string; client: string };
  const names = [...new Set(row.type.match(/[A-Z]\w+/g) ?? [])].filter((name) => !ROOT_NAMES.has(name));
  const path = row.method.split('.').map((part) => `['${part}']`).join('');
  return [
    "import type { Paginated, TributaryEvent } from 'tributary';",
    `import type { ${[client, ...names].join(', ')} } from 'tributary/${subpath}';`,
    'type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;',
    `export const row: Same<${row.type}, ReturnType<${client}${path}>> = true;`,
    'export type { Paginated, TributaryEvent };',
  ].join('\n');
}

/** `README.md:line method: message` for each row whose type is not the method's. */
function check(rows: readonly Row[]): string[] {
  const name = (row: Row): string => `${ROOT}README.md.method-${row.line}.ts`;
  const program = inMemoryProgram(new Map(rows.map((row) => [name(row), moduleOf(row)])));
  return rows.flatMap((row) =>
    diagnosticsOf(program, name(row)).map(
      (diagnostic) => `README.md:${row.line} ${row.method}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`,
    ),
  );
}

describe('README methods tables', () => {
  const rows = rowsOf(readFileSync(`${ROOT}README.md`, 'utf8'));

  it('are read for every provider and every method', () => {
    expect(new Set(rows.map((row) => row.provider))).toEqual(new Set(Object.keys(CLIENTS)));
    expect(rows.map((row) => `${row.provider}: ${row.method}`)).toHaveLength(15);
  });

  it('give each method the type it returns', () => {
    expect(check(rows)).toEqual([]);
  }, 60_000);
});
