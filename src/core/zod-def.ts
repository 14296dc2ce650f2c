/**
 * What tributary reads of a zod schema's definition (`schema._zod.def`, zod 4), to tell whether a
 * response schema only checks (`response-schema.ts`) and to generate its in-place check
 * (`check-in-place.ts`). zod does not export these shapes; only the fields read are listed.
 */

export interface SchemaNode {
  /** `values`: what a literal or enum accepts, as zod worked it out (a numeric enum's reverse names left out). */
  _zod: { def: SchemaDef; values?: ReadonlySet<unknown>; optin?: string };
}

export interface SchemaDef {
  type: string;
  /** Set on a format schema (`z.int()`, `z.uuid()`, `z.iso.datetime()`): a check of its own, not in `checks`. */
  format?: string;
  coerce?: boolean;
  checks?: ReadonlyArray<{ _zod: { def: CheckDef } }>;
  shape?: Record<string, SchemaNode>;
  catchall?: SchemaNode;
  element?: SchemaNode;
  innerType?: SchemaNode;
  options?: readonly SchemaNode[];
  items?: readonly SchemaNode[];
  rest?: SchemaNode | null;
  getter?: () => SchemaNode;
  fn?: (value: unknown) => unknown;
  values?: readonly unknown[];
  entries?: Record<string, unknown>;
}

/** A check on a schema (`.min(1)`, `.int()`, `.regex(...)`, `.trim()`): its kind and its parameters. */
export interface CheckDef {
  check: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  length?: number;
  pattern?: RegExp;
  value?: unknown;
  inclusive?: boolean;
}
