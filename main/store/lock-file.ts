/**
 * An exclusive lock on a data directory: `<dir>/store.lock`, created with O_EXCL and holding the owner's pid.
 * A lock whose owner process is gone (crash, kill -9) is stale and taken over; a live owner — including this
 * very process — makes the open fail with a clear message. Two servers on one data dir would interleave WAL
 * appends and corrupt each other's state.
 */
import { hostname } from 'node:os';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir, isErrno } from './durable-file.js';
import { StoreError } from './store.js';

export const LOCK_NAME = 'store.lock';

export interface DirLock {
  readonly file: string;
  release(): Promise<void>;
}

interface LockInfo {
  pid: number;
  hostname: string;
}

export async function acquireDirLock(dir: string): Promise<DirLock> {
  const file = path.join(dir, LOCK_NAME);
  const me: LockInfo = { pid: process.pid, hostname: hostname() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(file, 'wx');
      try {
        await fh.writeFile(JSON.stringify(me) + '\n');
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fsyncDir(dir);
      let released = false;
      return {
        file,
        release: async () => {
          if (released) return;
          released = true;
          await unlink(file).catch(() => undefined);
        },
      };
    } catch (e) {
      if (!isErrno(e, 'EEXIST')) throw e;
    }
    const owner = await readOwner(file);
    if (owner && ownerAlive(owner, me)) {
      throw new StoreError(
        'Unavailable',
        `store: data directory ${dir} is already in use by process ${owner.pid} on ${owner.hostname} ` +
          `(lock file ${file}); stop that server first, or remove the lock file if it is certainly not running`,
      );
    }
    // An unreadable lock may be one another process is writing right now; only an old one is abandoned.
    if (!owner && (await ageMs(file)) < 5000) {
      throw new StoreError('Unavailable', `store: data directory ${dir} is being opened by another process (lock file ${file})`);
    }
    // Stale (owner dead) or abandoned half-written: take it over.
    await unlink(file).catch((err: unknown) => {
      if (!isErrno(err, 'ENOENT')) throw err;
    });
  }
  throw new StoreError('Unavailable', `store: could not acquire lock file ${file}`);
}

async function readOwner(file: string): Promise<LockInfo | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<LockInfo>;
    if (typeof parsed.pid === 'number' && typeof parsed.hostname === 'string') {
      return { pid: parsed.pid, hostname: parsed.hostname };
    }
  } catch {
    // unreadable or half-written: treated as stale
  }
  return undefined;
}

function ownerAlive(owner: LockInfo, me: LockInfo): boolean {
  // A lock from another host (shared/network directory) cannot be probed: assume it is live.
  if (owner.hostname !== me.hostname) return true;
  if (owner.pid === me.pid) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    return isErrno(e, 'EPERM');
  }
}

async function ageMs(file: string): Promise<number> {
  try {
    return Date.now() - (await stat(file)).mtimeMs;
  } catch {
    return Infinity;
  }
}
