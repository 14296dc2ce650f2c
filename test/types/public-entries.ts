/**
 * The public types a user passes values of, by the file that exports them, and their members down to
 * the objects they hold; and every declaration the entry points export, with its members: what the
 * documentation tests walk (public-docs.test.ts, option-examples.test.ts).
 */
import ts from 'typescript';
import { inMemoryProgram, ROOT } from '../support/in-memory-program.js';

/**
 * What a user passes, from the public entry points: the factories' options and queries, `byPage`,
 * `toArray`, `watch`, `redisRateLimit`, the error constructors, the emulators' options and faults, and
 * the testing kit's building blocks, with every object they hold (`retry`, `identity`, an emulator's
 * `credentials`, ...).
 */
export const ENTRIES: Record<string, readonly string[]> = {
  'src/index.ts': [
    'CommonOptions',
    'ByPageOptions',
    'ToArrayOptions',
    'WatchOptions',
    'SocotraOptions',
    'SocotraListQuery',
    'SocotraFailedJobsQuery',
    'TinesOptions',
    'TinesListQuery',
    'FujitsuOptions',
    'FujitsuEventsQuery',
    'IllumioOptions',
    'IllumioListQuery',
    'InformaticaOptions',
    'InformaticaListQuery',
    'InformaticaGetOptions',
    'TributaryErrorOptions',
    'HttpErrorOptions',
    'RateLimitErrorOptions',
    'ResponseValidationErrorOptions',
    'IllumioJobErrorOptions',
  ],
  'src/redis/index.ts': ['RedisRateLimitOptions'],
  'src/testing/index.ts': [
    'EmulatorOptions',
    'ListenOptions',
    'SocotraEmulatorOptions',
    'TinesEmulatorOptions',
    'FujitsuEmulatorOptions',
    'IllumioEmulatorOptions',
    'InformaticaEmulatorOptions',
    'GenericEmulatorOptions',
    'FaultSpec',
    'TinesEventInput',
    'SocotraEventInput',
    'FujitsuEventInput',
    'InformaticaEventInput',
    'EmulatorRateLimit',
    'FaultMatch',
    'EmulatorSpec',
    'WindowLimiterOptions',
    'IntParamOptions',
    'ResponseOptions',
  ],
};

/** Objects a user passes whole, not built member by member: their members are not options. */
export const OPAQUE = new Set(['Date', 'URL', 'AbortSignal', 'Clock', 'SharedRateLimit', 'Checkpoint', 'Promise']);

/** The package specifier of each entry file, as a user imports it: every entry point of package.json. */
export const SPECIFIERS: Record<string, string> = {
  'src/index.ts': 'tributary',
  ...Object.fromEntries(['socotra', 'tines', 'fujitsu', 'illumio', 'informatica'].map((name) => [`src/providers/${name}/index.ts`, `tributary/${name}`])),
  'src/redis/index.ts': 'tributary/redis',
  'src/testing/index.ts': 'tributary/testing',
};

let entries: { program: ts.Program; checker: ts.TypeChecker } | undefined;

/**
 * The entry files compiled together under the project's options, and their checker: once per file of
 * tests, whose programs of examples then reuse the files it parsed.
 */
function entryProgram(): { program: ts.Program; checker: ts.TypeChecker } {
  if (entries !== undefined) return entries;
  const program = inMemoryProgram(
    new Map(),
    Object.keys(SPECIFIERS).map((file) => ROOT + file),
  );
  entries = { program, checker: program.getTypeChecker() };
  return entries;
}

/** What `file` exports, by the name a user imports, each resolved to what it names. */
function exportsOf(program: ts.Program, checker: ts.TypeChecker, file: string): Map<string, ts.Symbol> {
  const module = checker.getSymbolAtLocation(program.getSourceFile(ROOT + file) as ts.SourceFile) as ts.Symbol;
  return new Map(
    checker.getExportsOfModule(module).map((symbol) => [symbol.name, symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol]),
  );
}

/** The type arguments of a generic entry, for its members' types. */
const TYPE_ARGUMENTS: Record<string, string> = { EmulatorSpec: '<unknown>' };

/**
 * Type helpers the `holder` and `member` expressions use: a program that compiles them declares these
 * (option-examples.test.ts).
 */
export const MEMBER_TYPES = `
/** A value of \`T[K]\` for one alternative of a union \`T\` that has \`K\`. */
type Member<T, K extends PropertyKey> = T extends unknown ? (K extends keyof T ? Exclude<T[K], undefined> : never) : never;
type ItemOf<T> = T extends readonly (infer E)[] ? E : never;
`;

export interface PublicMember {
  /** `Type.member`, down the objects it is in (`CommonOptions.retry.retries`, `FaultSpec.match[].path`). */
  label: string;
  name: string;
  /** The type of the object holding it, as a type expression over the package's entry points. */
  holder: string;
  /** The type of its value, without `undefined`, as such an expression. */
  member: string;
  property: ts.Symbol;
  declarations: ts.PropertySignature[];
  checker: ts.TypeChecker;
}

/**
 * Every member of the `ENTRIES` and of the objects they hold, each alternative of a union on its own;
 * the declarations an intersection merges come together, as an editor shows them together. An entry
 * its file does not export is named in `unexported`.
 */
export function publicMembers(): { members: PublicMember[]; unexported: string[] } {
  const { program, checker } = entryProgram();
  const ours = (node: ts.Node): boolean => node.getSourceFile().fileName.startsWith(`${ROOT}src/`);
  const members: PublicMember[] = [];
  const unexported: string[] = [];
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
        const name = `${label}.${property.name}`;
        const member = `Member<${expression}, ${JSON.stringify(property.name)}>`;
        members.push({ label: name, name: property.name, holder: expression, member, property, declarations, checker });
        walk(name, member, checker.getNonNullableType(checker.getTypeOfSymbol(property)));
      }
    }
  };
  for (const [file, names] of Object.entries(ENTRIES)) {
    const exported = exportsOf(program, checker, file);
    for (const name of names) {
      const target = exported.get(name);
      if (target === undefined) {
        unexported.push(`${name} not exported from ${file}`);
        continue;
      }
      walk(name, `import(${JSON.stringify(SPECIFIERS[file])}).${name}${typeArguments(name, target.declarations?.[0])}`, checker.getDeclaredTypeOfSymbol(target));
    }
  }
  return { members, unexported };
}

/**
 * A declaration the entry points export, a member of one, or an entry point itself: where a JSDoc a
 * user reads is.
 */
export interface PublicDeclaration {
  /** As a user names it: `merge`, `SocotraStore.addEvent`, `Checkpoint`, `tributary/redis`. */
  label: string;
  declaration: ts.Node;
  /**
   * For a type, and a member of one that holds a value (a property, an enum's member): the type of
   * that value, as a type expression over the entry points, and for a member its name and the type of
   * the object holding it. A function, class, method or entry point has none: its examples are code.
   */
  value?: { type: string; member?: { name: string; holder: string } };
}

/** A name an entry point exports, and whether it is a value (else a type only). */
export interface PublicExport {
  specifier: string;
  name: string;
  value: boolean;
}

/** The members of a class, interface, enum or object type, as written (a union's and an intersection's alike). */
function membersOf(node: ts.Node): readonly ts.Node[] {
  if (ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isEnumDeclaration(node) || ts.isTypeLiteralNode(node)) return node.members;
  if (ts.isTypeAliasDeclaration(node) || ts.isParenthesizedTypeNode(node)) return membersOf(node.type);
  if (ts.isUnionTypeNode(node) || ts.isIntersectionTypeNode(node)) return node.types.flatMap(membersOf);
  return [];
}

/** A private or protected member, which a user does not call. */
function hidden(member: ts.Node): boolean {
  return ts.isClassElement(member) && (ts.getCombinedModifierFlags(member as ts.Declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0;
}

/** The type arguments a generic type is named with: its `TYPE_ARGUMENTS`, else `any` for each parameter. */
function typeArguments(name: string, declaration: ts.Node | undefined): string {
  const generic = declaration !== undefined && (ts.isInterfaceDeclaration(declaration) || ts.isTypeAliasDeclaration(declaration));
  const parameters = generic ? declaration.typeParameters : undefined;
  return TYPE_ARGUMENTS[name] ?? (parameters === undefined ? '' : `<${parameters.map(() => 'any').join(', ')}>`);
}

/**
 * Every declaration the entry points export (function, class, value, interface, type, enum), each
 * member of those (constructor, method, property, enum member) but private and protected ones, and
 * each entry point's own JSDoc; each declaration once (the root and a provider's subpath export the
 * same factory). And every name they export, for the imports of code that uses them.
 */
export function publicDeclarations(): { declarations: PublicDeclaration[]; exports: PublicExport[] } {
  const { program, checker } = entryProgram();
  const declarations: PublicDeclaration[] = [];
  const exports: PublicExport[] = [];
  const seen = new Set<ts.Node>();
  const add = (label: string, declaration: ts.Node, value?: PublicDeclaration['value']): void => {
    if (seen.has(declaration)) return;
    seen.add(declaration);
    declarations.push(value === undefined ? { label, declaration } : { label, declaration, value });
  };
  for (const [file, specifier] of Object.entries(SPECIFIERS)) {
    // An entry point's JSDoc comes before its first import, which TypeScript attaches it to.
    const first = (program.getSourceFile(ROOT + file) as ts.SourceFile).statements[0];
    if (first !== undefined && (ts.isImportDeclaration(first) || ts.isExportDeclaration(first))) add(specifier, first);
    for (const [name, symbol] of exportsOf(program, checker, file)) {
      exports.push({ specifier, name, value: (symbol.flags & ts.SymbolFlags.Value) !== 0 });
      for (const declaration of symbol.declarations ?? []) {
        if (!declaration.getSourceFile().fileName.startsWith(`${ROOT}src/`)) continue;
        const named = ts.isInterfaceDeclaration(declaration) || ts.isTypeAliasDeclaration(declaration) || ts.isEnumDeclaration(declaration);
        const type = `import(${JSON.stringify(specifier)}).${name}${typeArguments(name, declaration)}`;
        if (ts.isFunctionDeclaration(declaration) || ts.isClassDeclaration(declaration) || ts.isVariableDeclaration(declaration)) add(name, declaration);
        else if (named) add(name, declaration, { type });
        else continue;
        for (const member of membersOf(declaration)) {
          if (hidden(member)) continue;
          const memberName = (member as ts.NamedDeclaration).name?.getText() ?? 'constructor';
          const label = `${name}.${memberName}`;
          if (ts.isEnumMember(member)) add(label, member, { type: `${type}.${memberName}` });
          else if (ts.isPropertySignature(member) || ts.isPropertyDeclaration(member) || ts.isGetAccessorDeclaration(member)) {
            // A class's static member is held by the class itself, not by its instances.
            const holder = ts.getCombinedModifierFlags(member) & ts.ModifierFlags.Static ? `(typeof ${type})` : type;
            const key = JSON.stringify(checker.getSymbolAtLocation(member.name)?.name ?? memberName);
            add(label, member, { type: `Member<${holder}, ${key}>`, member: { name: memberName, holder } });
          } else if (ts.isMethodDeclaration(member) || ts.isMethodSignature(member) || ts.isConstructorDeclaration(member)) add(label, member);
        }
      }
    }
  }
  return { declarations, exports };
}
