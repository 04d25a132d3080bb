/**
 * CPU time of the calling thread, for benchmarks and diagnostics that split a process's CPU between the API
 * server's thread and the component workers. Linux only (/proc/thread-self); elsewhere undefined.
 */
import { readFileSync } from 'node:fs';

/** /proc reports clock ticks of USER_HZ, which the kernel ABI fixes at 100 per second. */
const TICKS_PER_SECOND = 100;

/** User + system CPU of this thread in ms (10 ms resolution), or undefined where /proc/thread-self is absent. */
export function threadCpuMs(): number | undefined {
  let stat: string;
  try {
    // Synchronous on purpose: an async read would run on a thread-pool thread and report that thread.
    stat = readFileSync('/proc/thread-self/stat', 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the parenthesised command name: state is [0], utime [11], stime [12].
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}
