/**
 * The public option and query types document every member where an editor shows it: each has an
 * `@example`, and each optional one its `@default`. And every provider exports its events API as a
 * named type, `<Provider>EventsApi`, from its subpath and from the root.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as Root from 'tributary';
import type { FujitsuClient, FujitsuEventsApi } from 'tributary/fujitsu';
import type { IllumioClient, IllumioEventsApi } from 'tributary/illumio';
import type { InformaticaClient, InformaticaEventsApi } from 'tributary/informatica';
import type { SocotraClient, SocotraEventsApi } from 'tributary/socotra';
import type { TinesClient, TinesEventsApi } from 'tributary/tines';
import { ENTRIES, OPAQUE } from './public-entries.js';

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
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const program = ts.createProgram(
    Object.keys(ENTRIES).map((file) => root + file),
    {
      strict: true,
      exactOptionalPropertyTypes: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
    },
  );
  const checker = program.getTypeChecker();
  const ours = (node: ts.Node): boolean => node.getSourceFile().fileName.startsWith(`${root}src/`);
  const missing = new Set<string>();
  const seen = new Set<ts.Type>();
  const walk = (label: string, type: ts.Type): void => {
    if (seen.has(type)) return;
    seen.add(type);
    for (const part of type.isUnion() ? type.types : [type]) {
      if (!(part.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection))) continue;
      if (checker.getSignaturesOfType(part, ts.SignatureKind.Call).length > 0) continue;
      if (part.isIntersection() && part.types.some((member) => !(member.flags & ts.TypeFlags.Object))) continue;
      if (checker.isArrayType(part) || checker.isTupleType(part)) {
        for (const element of checker.getTypeArguments(part as ts.TypeReference)) walk(`${label}[]`, element);
        continue;
      }
      if (OPAQUE.has(part.aliasSymbol?.name ?? part.symbol?.name ?? '')) continue;
      if (!part.isIntersection() && part.symbol?.declarations?.some(ours) !== true) continue;
      for (const property of checker.getPropertiesOfType(part)) {
        const declarations = (property.declarations ?? []).filter((d) => ts.isPropertySignature(d) && !forbids(d));
        if (declarations.length === 0) continue;
        const name = `${label}.${property.name}`;
        const tags = declarations.flatMap((d) => ts.getJSDocTags(d).map((tag) => tag.tagName.text));
        if (ts.displayPartsToString(property.getDocumentationComment(checker)).trim() === '') missing.add(`${name} description`);
        if (!tags.includes('example')) missing.add(`${name} @example`);
        if (property.flags & ts.SymbolFlags.Optional && !tags.includes('default')) missing.add(`${name} @default`);
        walk(name, checker.getNonNullableType(checker.getTypeOfSymbol(property)));
      }
    }
  };
  for (const [file, names] of Object.entries(ENTRIES)) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(root + file) as ts.SourceFile) as ts.Symbol;
    const exported = new Map(checker.getExportsOfModule(module).map((symbol) => [symbol.name, symbol]));
    for (const name of names) {
      const symbol = exported.get(name);
      if (symbol === undefined) {
        missing.add(`${name} not exported from ${file}`);
        continue;
      }
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      walk(name, checker.getDeclaredTypeOfSymbol(target));
    }
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
