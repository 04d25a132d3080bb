/**
 * Small durability primitives. A rename is only crash-safe when the new file's data was synced before the
 * rename and the directory was synced after it; Node has no helper for the directory part.
 */
import { open, rename } from 'node:fs/promises';

/** fsyncs a directory so that entries created, renamed or removed in it survive power loss. */
export async function fsyncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
  } catch (e) {
    // Some platforms (Windows) cannot open directories; there the rename itself is the best available.
    if (isErrno(e, 'EISDIR') || isErrno(e, 'EPERM') || isErrno(e, 'EACCES')) return;
    throw e;
  }
  try {
    await fh.sync();
  } catch (e) {
    if (!isErrno(e, 'EINVAL') && !isErrno(e, 'EPERM')) throw e;
  } finally {
    await fh.close();
  }
}

/** Atomically and durably moves a fully written, synced `tmp` file over `target`. */
export async function durableRename(tmp: string, target: string, dir: string): Promise<void> {
  await rename(tmp, target);
  await fsyncDir(dir);
}

export function isErrno(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === code;
}
