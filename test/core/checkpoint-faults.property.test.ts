/**
 * `fileCheckpoint` at random, under file system faults and concurrency: saves whose folder making, temporary
 * file, write (cut half way), flush, close, rename or folder flush fails with ENOSPC, EACCES, EROFS or EIO; a
 * process killed between its write and its rename (its temporary file left, aged past the sweep's
 * minute or not); two stores of one path saving at once, loads racing them; the file cut short, emptied
 * or overwritten with another cursor by hand; cursors of up to 150,000 characters; names with spaces, of
 * other scripts, up to the 255 bytes a name may take; a symbolic link, absolute or relative (in a folder
 * reached through a link), to a file not written yet, in a folder not made yet.
 *
 * Promised (`checkpoint.ts`, README), and checked after every step:
 * - the file is never seen half-written: a load answers a whole cursor that some save wrote, or none;
 * - a save that failed before its rename leaves the previous cursor in the file, and one that failed at
 *   the folder's flush the new one; either way the caller is told: a refusal (ENOSPC, EACCES, EROFS) as
 *   a `CursorError` (`'checkpoint'`) whose `cause` is the system's error, any other as the system's;
 * - a save that fails leaves no temporary file; the first save of a new store removes those a killed
 *   process left over a minute ago, and keeps younger ones (a save in progress elsewhere);
 * - an empty file is a `CursorError` (`'checkpoint'`) naming the path, never a fresh start; a missing one
 *   is a fresh start; a link is kept, its target written.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FileHandle } from 'node:fs/promises';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fileCheckpoint, type AsyncCheckpoint } from '../../src/core/checkpoint.js';
import { isCursorError } from '../../src/core/errors.js';
import { PROPERTY_TIMEOUT } from '../support/property-timeout.js';

/** Where a save is made to fail, in the order a save takes its steps. */
const STEPS = ['mkdir', 'open', 'write', 'sync', 'close', 'rename', 'folder'] as const;
type Step = (typeof STEPS)[number];
const CODES = ['ENOSPC', 'EACCES', 'EROFS', 'EIO'] as const;
/** The system's refusals of the folder or its device, which no retry of the save mends. */
const REFUSALS: ReadonlySet<string> = new Set(['ENOSPC', 'EACCES', 'EROFS']);
/** What a refusal's message says of the step refused. */
const REFUSED: Record<Step, RegExp> = {
  mkdir: /cannot be saved: its folder .* cannot be made: /,
  open: /cannot be saved: no file can be created in its folder .*: /,
  write: /cannot be saved: writing in its folder .* failed: /,
  sync: /cannot be saved: writing in its folder .* failed: /,
  close: /cannot be saved: writing in its folder .* failed: /,
  rename: /cannot be saved: writing in its folder .* failed: /,
  folder: /cannot be saved: its folder .* cannot be flushed to disk: /,
};

/** The fault of the save in whose course a file system call runs, or a kill before its rename. */
interface Plan {
  fault?: { step: Step; code: string };
  kill?: boolean;
  /** Set once its rename is made: a folder's flush before it is of a folder the save made. */
  renamed?: boolean;
}
const plans = new AsyncLocalStorage<Plan>();
/** Told the temporary file of a save killed before its rename, to age it as the clock would have. */
let onKill: ((temporary: string) => void) | undefined;

function systemError(code: string, syscall: string, path?: string): NodeJS.ErrnoException {
  const where = path === undefined ? '' : ` '${path}'`;
  return Object.assign(new Error(`${code}: injected, ${syscall}${where}`), { code, syscall, ...(path === undefined ? {} : { path }) });
}

function failing(step: Step): string | undefined {
  const plan = plans.getStore();
  if (step === 'folder' && plan?.renamed !== true) return undefined;
  return plan?.fault?.step === step ? plan.fault.code : undefined;
}

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    mkdir: async (...args: Parameters<typeof actual.mkdir>) => {
      const code = failing('mkdir');
      if (code !== undefined) throw systemError(code, 'mkdir', String(args[0]));
      return actual.mkdir(...args);
    },
    open: async (...args: Parameters<typeof actual.open>): Promise<FileHandle> => {
      const path = String(args[0]);
      const temporary = path.endsWith('.tmp');
      if (temporary && failing('open') !== undefined) throw systemError(failing('open') as string, 'open', path);
      const handle = await actual.open(...args);
      const sync = handle.sync.bind(handle);
      const close = handle.close.bind(handle);
      const write = handle.write.bind(handle) as (data: Buffer) => Promise<unknown>;
      if (temporary) {
        handle.writeFile = async (data) => {
          const bytes = Buffer.from(data as string, 'utf8');
          const code = failing('write');
          // A full disk takes part of the data before it refuses the rest.
          if (code !== undefined) {
            await write(bytes.subarray(0, bytes.length >> 1));
            throw systemError(code, 'write');
          }
          await write(bytes);
        };
      }
      handle.sync = async () => {
        const code = failing(temporary ? 'sync' : 'folder');
        if (code !== undefined) throw systemError(code, 'fsync');
        await sync();
      };
      handle.close = async () => {
        await close();
        // A network file system reports a write it could not make at the close.
        const code = temporary ? failing('close') : undefined;
        if (code !== undefined) throw systemError(code, 'close');
      };
      return handle;
    },
    rename: async (...args: Parameters<typeof actual.rename>) => {
      if (plans.getStore()?.kill === true) {
        onKill?.(String(args[0]));
        // The process is gone: nothing after this runs.
        return new Promise<void>(() => undefined);
      }
      const code = failing('rename');
      if (code !== undefined) throw systemError(code, 'rename', String(args[0]));
      await actual.rename(...args);
      const plan = plans.getStore();
      if (plan !== undefined) plan.renamed = true;
    },
  };
});

const nameOf = fc.oneof(
  fc.constant('pce.cursor'),
  fc.constant('my cursor file'),
  fc.constant('curseur été ☃ 🐟'),
  // Names as long as a name may be: 255 bytes, ASCII or of three-byte characters.
  fc.integer({ min: 1, max: 255 }).map((n) => 'c'.repeat(n)),
  fc.integer({ min: 1, max: 85 }).map((n) => '索'.repeat(n)),
);

const cursorOf = (n: number, long: boolean): string => {
  const base = `v1.${n.toString(36)}.`;
  return long ? base + 'x'.repeat(100_000 + ((n * 7919) % 50_000)) : base + 'abc_-'.repeat(n % 40);
};

const faultOf = fc.option(fc.record({ step: fc.constantFrom(...STEPS), code: fc.constantFrom(...CODES) }), { freq: 2, nil: undefined });

const stepOf = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('save' as const), store: fc.nat({ max: 1 }), fault: faultOf, long: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('together' as const),
      saves: fc.array(fc.record({ store: fc.nat({ max: 1 }), fault: faultOf }), { minLength: 2, maxLength: 6 }),
      loads: fc.nat({ max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('kill' as const), aged: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tamper' as const), content: fc.constantFrom('', ' \n', 'cut', 'other') }) },
);

const scenarioOf = fc.record({
  name: nameOf,
  /** Folders the path lies in, made by the first save. */
  depth: fc.nat({ max: 2 }),
  /** `path` a link to the file; `folder`, a relative one in a folder reached through a link to it. */
  link: fc.constantFrom('none', 'absolute', 'relative', 'folder'),
  steps: fc.array(stepOf, { minLength: 1, maxLength: 14 }),
});

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tributary-checkpoint-faults-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** What the folder holds beside the cursor: temporary files, by name. */
async function temporaries(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  return names.filter((name) => name.endsWith('.tmp')).sort();
}

describe.skipIf(process.platform === 'win32')('fileCheckpoint under faults, at random', () => {
  it(
    'never shows a half-written file, keeps the previous cursor through a failed save, tells its caller, and leaves no temporary file but a live one',
    PROPERTY_TIMEOUT,
    async () => {
      let scenarios = 0;
      const seen = { failed: 0, killed: 0, swept: 0, together: 0, tampered: 0 };
      await fc.assert(
        fc.asyncProperty(scenarioOf, async ({ name, depth, link, steps }) => {
          const dir = join(root, String(scenarios++));
          await mkdir(dir);
          const folders = Array.from({ length: depth }, (_, i) => `dir ${i}`);
          // The file the cursor is in; `path` is it, or a link to it, made before the file and its folders.
          const file = join(dir, ...(link === 'none' ? [] : ['volume']), ...folders, name);
          let path = link === 'none' ? file : join(dir, 'link');
          if (link === 'absolute' || link === 'relative') await symlink(link === 'absolute' ? file : relative(dir, file), path);
          if (link === 'folder') {
            await mkdir(join(dir, 'volume', 'links'), { recursive: true });
            await symlink(join(dir, 'volume', 'links'), join(dir, 'links'));
            await symlink(relative(join(dir, 'volume', 'links'), file), join(dir, 'volume', 'links', 'link'));
            path = join(dir, 'links', 'link');
          }
          const folder = dirname(file);

          let stores: AsyncCheckpoint[] = [fileCheckpoint(path), fileCheckpoint(path)];
          /** What the file holds, as the model has it: undefined for none. */
          let held: string | undefined;
          /** Every whole content the file may show while saves run. */
          const written = new Set<string>();
          /** Killed saves' temporary files, young ones the sweep keeps. */
          const young: string[] = [];
          let next = 0;

          const load = async (store: AsyncCheckpoint): Promise<void> => {
            const loaded = await store.load().catch((error: unknown) => error);
            if (held !== undefined && held.trim() === '') {
              expect(isCursorError(loaded), String(loaded)).toBe(true);
              expect(loaded).toMatchObject({ reason: 'checkpoint' });
              expect((loaded as Error).message).toContain(path);
            } else {
              expect(loaded).toBe(held?.trim());
            }
          };

          const save = async (store: AsyncCheckpoint, cursor: string, plan: Plan): Promise<'saved' | 'renamed' | 'kept'> => {
            const outcome = await plans.run(plan, () => store.save(cursor)).then(
              () => undefined,
              (error: unknown) => error,
            );
            const fault = plan.fault;
            if (fault === undefined) {
              expect(outcome, String(outcome)).toBeUndefined();
              return 'saved';
            }
            seen.failed += 1;
            expect(outcome).toBeInstanceOf(Error);
            if (REFUSALS.has(fault.code)) {
              // A refusal is the typed error of a checkpoint that can hold no cursor, the system's its cause.
              expect(isCursorError(outcome), String(outcome)).toBe(true);
              expect(outcome).toMatchObject({ reason: 'checkpoint' });
              expect(((outcome as Error).cause as NodeJS.ErrnoException).code).toBe(fault.code);
              expect((outcome as Error).message).toMatch(REFUSED[fault.step]);
            } else {
              // Any other error reaches the caller as it came, its code kept.
              expect((outcome as NodeJS.ErrnoException).code).toBe(fault.code);
            }
            // Node names no file for a write, a flush or a close: the message names the checkpoint's.
            expect((outcome as Error).message).toContain(path);
            return fault.step === 'folder' ? 'renamed' : 'kept';
          };

          for (const step of steps) {
            if (step.kind === 'save') {
              const cursor = cursorOf(next++, step.long);
              written.add(`${cursor}\n`);
              const result = await save(stores[step.store] as AsyncCheckpoint, cursor, step.fault === undefined ? {} : { fault: step.fault });
              if (result !== 'kept') held = `${cursor}\n`;
            } else if (step.kind === 'together') {
              seen.together += 1;
              const before = held;
              const cursors = step.saves.map(() => cursorOf(next++, false));
              for (const cursor of cursors) written.add(`${cursor}\n`);
              const renamed = new Set<string>();
              const loads: Array<Promise<unknown>> = [];
              const saves = step.saves.map(async (s, i) => {
                const cursor = cursors[i] as string;
                const result = await save(stores[s.store] as AsyncCheckpoint, cursor, s.fault === undefined ? {} : { fault: s.fault });
                if (result !== 'kept') renamed.add(`${cursor}\n`);
              });
              for (let i = 0; i < step.loads; i++) {
                // A load while saves run sees a whole cursor, old or new, never part of one.
                loads.push(
                  fileCheckpoint(path)
                    .load()
                    .then(
                      (loaded) => {
                        if (loaded !== undefined && loaded !== null) expect(written.has(`${loaded}\n`) || before?.trim() === loaded, loaded.slice(0, 40)).toBe(true);
                      },
                      // Only an empty file not yet replaced is refused.
                      (error: unknown) => {
                        expect(isCursorError(error), String(error)).toBe(true);
                        expect(before?.trim()).toBe('');
                      },
                    ),
                );
              }
              await Promise.all([...saves, ...loads]);
              const now = await readFile(file, 'utf8').catch(() => undefined);
              if (renamed.size === 0) expect(now).toBe(before);
              else expect(renamed.has(now as string)).toBe(true);
              held = now;
            } else if (step.kind === 'kill') {
              seen.killed += 1;
              const cursor = cursorOf(next++, false);
              // Its store is gone with its process: a save of it would wait on the killed one forever.
              const leftover = await new Promise<string>((resolve) => {
                onKill = resolve;
                void plans.run({ kill: true }, () => (stores[0] as AsyncCheckpoint).save(cursor));
              });
              expect(await readFile(leftover, 'utf8')).toBe(`${cursor}\n`);
              if (step.aged) {
                const hourAgo = new Date(Date.now() - 3_600_000);
                await utimes(leftover, hourAgo, hourAgo);
              } else {
                young.push(basename(leftover));
              }
              stores = [fileCheckpoint(path), stores[1] as AsyncCheckpoint];
              const fresh = stores[0] as AsyncCheckpoint;
              // The new process's first save removes what the killed one left, once it is old.
              await save(fresh, (held ?? '').trim() || cursorOf(next++, false), {});
              held = await readFile(file, 'utf8');
              if (step.aged) seen.swept += 1;
            } else if (step.kind === 'restart') {
              stores = [fileCheckpoint(path), fileCheckpoint(path)];
              await load(stores[0] as AsyncCheckpoint);
            } else {
              seen.tampered += 1;
              const content = step.content === 'cut' ? (held ?? 'v1.x\n').slice(0, 4) : step.content === 'other' ? `${cursorOf(9_999, false)}\n` : step.content;
              await mkdir(folder, { recursive: true });
              await writeFile(file, content);
              held = content;
              written.add(content);
            }
            // After every step: what the model holds, and no temporary file but a live one's.
            expect(await readFile(file, 'utf8').catch(() => undefined)).toBe(held);
            await load(fileCheckpoint(path));
            expect(await temporaries(folder)).toEqual(young.sort());
            if (link !== 'none') expect((await lstat(path)).isSymbolicLink()).toBe(true);
          }
        }),
        { numRuns: 60 },
      );
      // The draw reaches what it is meant to.
      expect(seen.failed).toBeGreaterThan(20);
      expect(seen.killed).toBeGreaterThan(5);
      expect(seen.swept).toBeGreaterThan(2);
      expect(seen.together).toBeGreaterThan(5);
      expect(seen.tampered).toBeGreaterThan(5);
    },
  );
});
