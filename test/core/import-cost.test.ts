import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

const SUBPATHS = [
  'index',
  'providers/socotra/index',
  'providers/tines/index',
  'providers/fujitsu/index',
  'providers/illumio/index',
  'providers/informatica/index',
  'redis/index',
  'testing/index',
];

// fetch's implementation (undici, web streams) is half of a cold import when something loads it at
// import time: ky's module did (it builds a `Request` when evaluated), and so does an ES `import` of
// node:http on Node 22 and later (its lazy `WebSocket` export is read to build the namespace). Such a
// module is loaded when it is first needed instead. Node 20 has no such export: there the second case
// only shows on the Node 24 leg of the tests.
describe('importing a subpath', () => {
  it("does not load fetch's implementation", async () => {
    const script = `
      const loaded = () => process.moduleLoadList.some((name) => name.includes('undici'));
      const culprits = [];
      if (loaded()) culprits.push('(before any import)');
      for (const subpath of ${JSON.stringify(SUBPATHS)}) {
        await import(new URL('../../src/' + subpath + '.ts', ${JSON.stringify(import.meta.url)}).href);
        if (loaded() && culprits.length === 0) culprits.push(subpath);
      }
      console.log(JSON.stringify(culprits));
    `;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 30_000 });
    expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null')).toEqual([]);
  });
});
