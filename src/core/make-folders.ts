/**
 * `mkdir(folder, { recursive: true })` that always ends. Node's reads any ENOENT as a missing parent,
 * makes the parent and asks again: where a folder cannot be made in a parent that exists (procfs answers
 * ENOENT for `/proc/nonexistent` and `/proc/self/x`), it asked for ever, on Node 20 and 24 alike, and a
 * save of a checkpoint there never settled. Each folder here is asked for at most twice, before and
 * after its parent is made, so an ENOENT with the parent in place is the system's answer, thrown.
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Makes `folder` and the folders missing above it; the outermost one it made, as Node's answers. */
export async function makeFolders(folder: string): Promise<string | undefined> {
  try {
    await mkdir(folder);
    return folder;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return await existingFolder(folder, error);
    const parent = dirname(folder);
    if (code !== 'ENOENT' || parent === folder) throw error;
    const first = await makeFolders(parent);
    try {
      await mkdir(folder);
    } catch (again) {
      // Made meanwhile by another save, in this process or another.
      if ((again as NodeJS.ErrnoException).code === 'EEXIST') return await existingFolder(folder, again);
      throw again;
    }
    return first ?? folder;
  }
}

/** Nothing made for a folder that is there; a file in its place fails as Node's own does, with EEXIST. */
async function existingFolder(folder: string, error: unknown): Promise<undefined> {
  const isFolder = await stat(folder).then((info) => info.isDirectory(), () => false);
  if (!isFolder) throw error;
  return undefined;
}
