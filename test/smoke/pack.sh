#!/usr/bin/env bash
# Packs the tarball exactly as npm would publish it, installs it into an empty project, and loads every
# subpath with both `import` and `require`, then runs publint and attw (every resolution, node10's too) on the
# same tarball.
# Usage: test/smoke/pack.sh [path/to/node] [--runtime-only]   (defaults to the node on PATH)
# --runtime-only keeps what runs on the given node: tsc, publint and attw run on the node on PATH whatever
# the first argument, so a second pass with another node would only check the same types again.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
node_bin=${1:-node}
runtime_only=${2:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$root"
# The build just made (by `npm run smoke` or CI's build step): prepack would type-check and build again.
tarball=$(npm pack --ignore-scripts --silent --pack-destination "$work" 2>/dev/null | tail -n 1)
echo "packed $tarball ($(du -k "$work/$tarball" | cut -f1) KiB)"
contents=$(tar -tzf "$work/$tarball")
for file in package/LICENSE package/dist/index.js package/dist/index.cjs package/dist/index.d.ts; do
  grep -qx "$file" <<<"$contents" || { echo "$file is not in the tarball" >&2; exit 1; }
done

subpaths=$(node -e '
  const exp = require("./package.json").exports;
  console.log(Object.keys(exp).filter((k) => k !== "./package.json").map((k) => "tributary" + k.slice(1)).join(" "));
')

mkdir -p "$work/app"
cd "$work/app"
npm init -y >/dev/null 2>&1
npm install --no-audit --no-fund --silent "$work/$tarball" 2>&1 | grep -v 'nodedir' || true

for spec in $subpaths; do
  "$node_bin" --input-type=module -e "
    const mod = await import('$spec');
    const names = Object.keys(mod);
    if (names.length === 0) throw new Error('$spec exports nothing');
    console.log('import  $spec ->', names.length, 'exports');
  "
  "$node_bin" -e "
    const mod = require('$spec');
    const names = Object.keys(mod);
    if (names.length === 0) throw new Error('$spec exports nothing');
    console.log('require $spec ->', names.length, 'exports');
  "
done

# Both builds must really work, not only load: every provider collects from its emulator, once through
# require() and once through import().
cat > collect.cjs <<'JS'
const testing = require('tributary/testing');
const root = require('tributary');
const factories = {
  socotra: require('tributary/socotra').socotra,
  tines: require('tributary/tines').tines,
  fujitsu: require('tributary/fujitsu').fujitsu,
  illumio: require('tributary/illumio').illumio,
  informatica: require('tributary/informatica').informatica,
};
module.exports = async function collect(label) {
  for (const [name, factory] of Object.entries(factories)) {
    const emulator = testing.createEmulator(name, { events: 30, seed: 3 });
    const env = testing[`${name}DemoEnv`]('http://127.0.0.1:9');
    const prefix = `TRIBUTARY_${name.toUpperCase()}_`;
    const options = {};
    // The CLI's convention: TRIBUTARY_<PROVIDER>_<OPTION>, a double underscore nests.
    for (const [key, value] of Object.entries(env)) {
      const path = key.slice(prefix.length).split('__').map((part) => part.toLowerCase().replace(/_([a-z])/g, (_, c) => c.toUpperCase()));
      const leaf = path.pop();
      let target = options;
      for (const part of path) target = target[part] ??= {};
      target[leaf] = leaf === 'orgId' ? Number(value) : value;
    }
    const client = factory({ ...options, fetch: emulator.fetch });
    const events = await client.events.list().toArray();
    if (events.length === 0 || !events.every((event) => event.provider === name)) throw new Error(`${label} ${name}: no events`);
    const cloud = root.toCloudEvent(events[0]);
    if (cloud.specversion !== '1.0') throw new Error(`${label} ${name}: bad CloudEvent`);
    console.log(`${label} ${name}: ${events.length} events`);
  }
};
JS
"$node_bin" -e "require('./collect.cjs')('require').catch((error) => { console.error(error); process.exit(1); })"
cat > collect.mjs <<'JS'
import { createRequire } from 'node:module';
import * as testing from 'tributary/testing';
import { illumio } from 'tributary/illumio';
import { isAuthenticationError } from 'tributary';
const emulator = testing.createEmulator('illumio', { events: 30 });
const { apiKey } = testing.DEFAULT_ILLUMIO_CREDENTIAL;
const events = await illumio({ baseUrl: 'https://pce.example.com:8443', orgId: 1, apiKey, apiSecret: 'wrong-secret', fetch: emulator.fetch })
  .events.list().toArray().catch((error) => error);
if (!isAuthenticationError(events)) throw new Error('import: a wrong secret must be an AuthenticationError');
// The guard works across the two builds: an ESM error recognised by the CJS guard.
const cjs = createRequire(import.meta.url)('tributary');
if (!cjs.isAuthenticationError(events)) throw new Error('the CJS guard does not recognise an ESM error');
console.log('import: typed errors and cross-build guards work');
// The real-server adapter reads node:http when a server starts: over TCP, through each build.
for (const [label, build] of [['import', testing], ['require', createRequire(import.meta.url)('tributary/testing')]]) {
  const server = await build.createEmulator('illumio', { events: 30 }).listen();
  try {
    const overTcp = await illumio({ baseUrl: server.url, orgId: 1, ...build.DEFAULT_ILLUMIO_CREDENTIAL }).events.list().toArray();
    if (overTcp.length === 0) throw new Error(`${label}: no events over TCP`);
    console.log(`${label}: ${overTcp.length} events from a real server`);
  } finally {
    await server.close();
  }
}
JS
"$node_bin" collect.mjs
"$node_bin" ./node_modules/.bin/tributary --help >/dev/null
echo "bin tributary --help: ok"
if [ "$runtime_only" = "--runtime-only" ]; then
  echo "smoke on $("$node_bin" --version): ok"
  exit 0
fi

# One program may type values of both builds: a CommonJS module's error or shared limit handed to ES
# module code. Each build declares its own symbols, so symbol-keyed members must stay out of the types.
cat > dual.cts <<'TS'
import { HttpError } from 'tributary';
import { redisRateLimit } from 'tributary/redis';
export const failure = (): HttpError => new HttpError('x', { status: 500, method: 'GET', url: 'https://x.example/' });
export const shared = () => redisRateLimit();
TS
cat > dual.mts <<'TS'
import { HttpError, TributaryError } from 'tributary';
import { illumio } from 'tributary/illumio';
import { failure, shared } from './dual.cjs';
export const asEsm: HttpError = failure();
export const asBase: TributaryError = failure();
export const client = illumio({ baseUrl: 'https://pce.example', orgId: 1, apiKey: 'k', apiSecret: 's', rateLimit: { shared: shared() } });
// @ts-expect-error a plain object is not a shared limit, though the builder is not in the types
export const refused = illumio({ baseUrl: 'https://pce.example', orgId: 1, apiKey: 'k', apiSecret: 's', rateLimit: { shared: { store: 'redis' } } });
TS
cat > tsconfig.json <<JSON
{ "compilerOptions": { "module": "nodenext", "moduleResolution": "nodenext", "target": "es2022", "strict": true,
  "skipLibCheck": false, "noEmit": true, "typeRoots": ["$root/node_modules/@types"], "types": ["node"] },
  "files": ["dual.cts", "dual.mts"] }
JSON
"$root/node_modules/.bin/tsc" -p tsconfig.json
echo "types of both builds in one program: ok"

# msw is an optional peer dependency: a test that only uses the `fetch` emulator or a local server must
# type-check `tributary/testing` without it, through either build's declarations.
if [ -e node_modules/msw ]; then echo "msw was installed with the tarball: it must stay optional" >&2; exit 1; fi
for ext in mts cts; do
  cat > "no-msw.$ext" <<'TS'
import { createEmulator, DEFAULT_TINES_CREDENTIAL, type Emulator, type EmulatorServer } from 'tributary/testing';
import { tines } from 'tributary/tines';
const emulator: Emulator = createEmulator('tines', { events: 5 });
const client = tines({ baseUrl: 'https://tenant.tines.com', token: DEFAULT_TINES_CREDENTIAL.key, fetch: emulator.fetch });
export const events = client.events.list().toArray();
export const server: Promise<EmulatorServer> = emulator.listen();
// Without msw its handlers have no type to be used as.
// @ts-expect-error unknown is not an object with `info`
export const info = emulator.msw().then((handlers) => handlers[0]?.info);
TS
done
cat > tsconfig.json <<JSON
{ "compilerOptions": { "module": "nodenext", "moduleResolution": "nodenext", "target": "es2022", "strict": true,
  "skipLibCheck": false, "noEmit": true, "typeRoots": ["$root/node_modules/@types"], "types": ["node"] },
  "files": ["no-msw.mts", "no-msw.cts"] }
JSON
"$root/node_modules/.bin/tsc" -p tsconfig.json
echo "types of tributary/testing without msw: ok"

# With msw installed, the handlers are msw's own type, as setupServer takes them.
ln -s "$root/node_modules/msw" node_modules/msw
cat > with-msw.mts <<'TS'
import type { HttpHandler } from 'msw';
import { setupServer } from 'msw/node';
import { createEmulator, toMswHandlers } from 'tributary/testing';
const emulator = createEmulator('tines');
export const server = setupServer(...(await emulator.msw()));
export const handlers: HttpHandler[] = await toMswHandlers(emulator.handle, 'https://tenant.tines.com');
TS
cat > tsconfig.json <<JSON
{ "compilerOptions": { "module": "nodenext", "moduleResolution": "nodenext", "target": "es2022", "strict": true,
  "skipLibCheck": false, "noEmit": true, "typeRoots": ["$root/node_modules/@types"], "types": ["node"] },
  "files": ["with-msw.mts"] }
JSON
"$root/node_modules/.bin/tsc" -p tsconfig.json
rm node_modules/msw
echo "types of tributary/testing with msw: ok"

# `module: commonjs` implies the old `node10` resolution, which does not read `exports`: the subpaths'
# types are found through `typesVersions`.
cat > node10.ts <<'TS'
import { HttpError, watch } from 'tributary';
import { socotra } from 'tributary/socotra';
import { tines } from 'tributary/tines';
import { fujitsu } from 'tributary/fujitsu';
import { illumio, type IllumioOptions } from 'tributary/illumio';
import { informatica } from 'tributary/informatica';
import { redisRateLimit } from 'tributary/redis';
import { createEmulator, DEFAULT_ILLUMIO_CREDENTIAL } from 'tributary/testing';
const options: IllumioOptions = { baseUrl: 'https://pce.example', orgId: 1, ...DEFAULT_ILLUMIO_CREDENTIAL, fetch: createEmulator('illumio').fetch };
export const pages = watch(illumio({ ...options, rateLimit: { shared: redisRateLimit() } }).events.list(), { interval: 60_000 });
export const factories = [socotra, tines, fujitsu, informatica];
export const failure: HttpError = new HttpError('x', { status: 500, method: 'GET', url: 'https://x.example/' });
// @ts-expect-error the options are typed under node10 too
export const misspelt = illumio({ ...options, orgID: 1 });
TS
cat > tsconfig.json <<JSON
{ "compilerOptions": { "module": "commonjs", "target": "es2022", "strict": true, "esModuleInterop": true,
  "skipLibCheck": false, "noEmit": true, "typeRoots": ["$root/node_modules/@types"], "types": ["node"] },
  "files": ["node10.ts"] }
JSON
"$root/node_modules/.bin/tsc" -p tsconfig.json
echo "types under module commonjs (node10 resolution): ok"

# No `any` in the published types: a grep would also match words and comments, the parser only types.
"$node_bin" - "$root/node_modules/typescript/lib/typescript.js" <<'JS'
const ts = require(process.argv[2]);
const { readdirSync, readFileSync } = require('node:fs');
const files = readdirSync('node_modules/tributary/dist', { recursive: true }).filter((f) => /\.d\.c?ts$/.test(f));
const found = [];
for (const file of files) {
  const path = 'node_modules/tributary/dist/' + file;
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (node.kind === ts.SyntaxKind.AnyKeyword) found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
    ts.forEachChild(node, visit);
  };
  visit(source);
}
if (files.length === 0 || found.length > 0) {
  console.error(files.length === 0 ? 'no declaration files found' : `any in the published types: ${found.join(', ')}`);
  process.exit(1);
}
console.log(`no any in ${files.length} declaration files: ok`);
JS

cd "$root"
npx --no-install publint "$work/$tarball"
npx --no-install attw "$work/$tarball"
echo "smoke: ok"
