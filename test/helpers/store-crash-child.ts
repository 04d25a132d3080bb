/**
 * Child process for the store crash test: opens the lowdb store in argv[2] and runs `writers` concurrent
 * create loops until it is killed. Each acknowledged create is reported on stdout immediately (synchronous
 * write) as `ack <key> <revision>`; compaction steps are reported as `compaction <step>`.
 *
 * usage: node store-crash-child.js <dir> <round> <writers> <compactMinBytes>
 */
import { writeSync } from 'node:fs';
import { openLowdbStore } from '../../main/store/lowdb-store.js';

const [dir, round, writersArg, compactArg] = process.argv.slice(2);
const writers = Number(writersArg ?? 10);
const say = (line: string) => writeSync(1, line + '\n');

const store = await openLowdbStore({
  dir: dir!,
  compactMinBytes: Number(compactArg ?? 8 << 20),
  log: (m) => say(`log ${m.replace(/\n/g, ' ')}`),
  compactionProbe: (step) => {
    say(`compaction ${step}`);
  },
});
say(`open ${store.revision()}`);

/** The payload is derived from the key so the parent can verify content, ~1 KB like a small pod. */
function crashValue(key: string) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: key.split('/').pop()!, namespace: 'crash' },
    data: { key, filler: key.repeat(Math.ceil(900 / key.length)).slice(0, 900) },
  };
}

async function writer(w: number): Promise<void> {
  for (let i = 0; ; i++) {
    const key = `/crash/r${round}-w${w}-${i}`;
    const e = await store.create(key, crashValue(key));
    say(`ack ${key} ${e.modRevision}`);
  }
}

await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
