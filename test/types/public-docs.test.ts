/**
 * The public option and query types document every member where an editor shows it: each has an
 * `@example`, and each optional one its `@default`. And every provider exports its events API as a
 * named type, `<Provider>EventsApi`, from its subpath and from the root.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as Root from 'tributary';
import type { FujitsuClient, FujitsuEventsApi } from 'tributary/fujitsu';
import type { IllumioClient, IllumioEventsApi } from 'tributary/illumio';
import type { InformaticaClient, InformaticaEventsApi } from 'tributary/informatica';
import type { SocotraClient, SocotraEventsApi } from 'tributary/socotra';
import type { TinesClient, TinesEventsApi } from 'tributary/tines';
import { publicMembers } from './public-entries.js';

const FILES = [
  'src/core/options.ts',
  ...['socotra', 'tines', 'fujitsu', 'illumio', 'informatica'].flatMap((name) =>
    ['index.ts', 'options.ts', 'query.ts'].map((file) => `src/providers/${name}/${file}`),
  ),
];

/** A member that only forbids itself in one alternative of a union (`email?: undefined`). */
function forbids(declaration: ts.Declaration): boolean {
  const type = ts.isPropertySignature(declaration) ? declaration.type : undefined;
  if (type === undefined) return false;
  return (ts.isUnionTypeNode(type) ? type.types : [type]).every(
    (node) =>
      node.kind === ts.SyntaxKind.UndefinedKeyword ||
      node.kind === ts.SyntaxKind.NeverKeyword ||
      (ts.isLiteralTypeNode(node) && node.literal.kind === ts.SyntaxKind.FalseKeyword),
  );
}

/**
 * `Type.member` of every member reachable from `ENTRIES` that lacks a description, an `@example`, or
 * (optional) a `@default`. Each alternative of a union is checked on its own; the declarations an
 * intersection merges count together, as an editor shows them together.
 */
function undocumentedFromEntries(): string[] {
  const { members, unexported } = publicMembers();
  const missing = new Set<string>(unexported);
  for (const { label, property, declarations, checker } of members) {
    const documented = declarations.filter((declaration) => !forbids(declaration));
    if (documented.length === 0) continue;
    const tags = documented.flatMap((d) => ts.getJSDocTags(d).map((tag) => tag.tagName.text));
    if (ts.displayPartsToString(property.getDocumentationComment(checker)).trim() === '') missing.add(`${label} description`);
    if (!tags.includes('example')) missing.add(`${label} @example`);
    if (property.flags & ts.SymbolFlags.Optional && !tags.includes('default')) missing.add(`${label} @default`);
  }
  return [...missing];
}

/** `Interface.member` of every public option or query member that lacks a tag it needs. */
function undocumented(): string[] {
  const missing: string[] = [];
  for (const file of FILES) {
    let text: string;
    try {
      text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
    } catch {
      continue; // a provider without such a file
    }
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      const exported = ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      // `Resolved…` types are the checked, internal forms; a `…Fields` interface documents the members
      // of a public union type (`TinesListQuery`), which is not exported itself.
      const name = ts.isInterfaceDeclaration(node) ? node.name.text : '';
      const documented = (exported && /(Options|Query)$/.test(name) && !name.startsWith('Resolved')) || /(Options|Query)Fields$/.test(name);
      if (ts.isInterfaceDeclaration(node) && documented) {
        for (const member of node.members) {
          if (!ts.isPropertySignature(member)) continue;
          const tags = ts.getJSDocTags(member).map((tag) => tag.tagName.text);
          const name = `${node.name.text}.${member.name.getText(source)}`;
          if (!tags.includes('example')) missing.push(`${name} @example`);
          if (member.questionToken && !tags.includes('default')) missing.push(`${name} @default`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return missing;
}

describe('public documentation', () => {
  it('every option and query member has an @example, and every optional one a @default', () => {
    expect(undocumented()).toEqual([]);
  });

  it('every member a user passes, down to the objects it holds, has a description, an @example and its @default', () => {
    expect(undocumentedFromEntries()).toEqual([]);
  }, 60_000);

  it('every provider names its events API, in its subpath and in the root', () => {
    expectTypeOf<InformaticaClient['events']>().toEqualTypeOf<InformaticaEventsApi>();
    expectTypeOf<IllumioClient['events']>().toEqualTypeOf<IllumioEventsApi>();
    expectTypeOf<SocotraClient['events']>().toEqualTypeOf<SocotraEventsApi>();
    expectTypeOf<TinesClient['events']>().toEqualTypeOf<TinesEventsApi>();
    expectTypeOf<FujitsuClient['events']>().toEqualTypeOf<FujitsuEventsApi>();
    expectTypeOf<Root.InformaticaEventsApi>().toEqualTypeOf<InformaticaEventsApi>();
    expectTypeOf<Root.IllumioEventsApi>().toEqualTypeOf<IllumioEventsApi>();
  });
});
