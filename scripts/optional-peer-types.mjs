/**
 * Marks the built declarations' imports of msw with `@ts-ignore`. msw is an optional peer dependency of
 * `tributary/testing`, whose `msw()` returns msw's handlers; a program without msw must still type-check
 * `tributary/testing` (skipLibCheck off), and an import of a missing module is an error even in a
 * dependency's declarations. The sources cannot carry the comment: the declaration bundler drops it.
 * ioredis is not marked: `tributary/redis` is of no use without it, and its types should say so.
 * Usage: node scripts/optional-peer-types.mjs [dist]
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OPTIONAL = ['msw'];
const dist = process.argv[2] ?? 'dist';
const MARK = '// @ts-ignore an optional peer dependency: without it these types are unknown\n';
const importOf = new RegExp(`^import [^\\n]* from '(?:${OPTIONAL.join('|')})(?:/[^']*)?';$`, 'gm');

let marked = 0;
for (const file of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
  if (!/\.d\.c?ts$/.test(file)) continue;
  const path = join(dist, file);
  const text = readFileSync(path, 'utf8');
  const next = text.replace(importOf, (line, offset) => (text.slice(0, offset).endsWith(MARK) ? line : `${MARK}${line}`));
  if (next === text) continue;
  writeFileSync(path, next);
  marked += 1;
}
console.log(`optional peer types: marked the imports of ${OPTIONAL.join(', ')} in ${marked} declaration files`);
