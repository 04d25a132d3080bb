/**
 * kill -9 crash test at the store level: a child process performs concurrent durable creates and prints each
 * acknowledged key; the parent SIGKILLs it at a random moment (one round right after a compaction started),
 * reopens the data directory and checks that every acknowledged write is present, intact, and that nothing
 * unexpected or corrupt appears. The next round's child recovers the same directory again.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { openLowdbStore } from '../../../main/store/lowdb-store.js';

const child = fileURLToPath(new URL('../../helpers/store-crash-child.js', import.meta.url));

interface RoundResult {
  acked: Map<string, number>;
  sawCompaction: boolean;
  opened: boolean;
}

/** Runs one child; kills it `killAfterMs` after its first ack, or as soon as a compaction starts if asked. */
function runRound(dir: string, round: number, killAfterMs: number, killOnCompaction: boolean): Promise<RoundResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, dir, String(round), '10', String(256 * 1024)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const res: RoundResult = { acked: new Map(), sawCompaction: false, opened: false };
    let timer: NodeJS.Timeout | undefined;
    const kill = () => proc.kill('SIGKILL');
    const safety = setTimeout(kill, 15_000);
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const [kind, a, b] = line.split(' ');
      if (kind === 'open') res.opened = true;
      if (kind === 'ack') {
        res.acked.set(a!, Number(b));
        if (!timer && !killOnCompaction) timer = setTimeout(kill, killAfterMs);
      }
      if (kind === 'compaction' && a === 'rotated') {
        res.sawCompaction = true;
        if (killOnCompaction) kill();
      }
    });
    proc.on('error', reject);
    proc.on('exit', () => {
      clearTimeout(safety);
      if (timer) clearTimeout(timer);
      resolve(res);
    });
  });
}

test('no acknowledged create is lost to SIGKILL, including during compaction', { timeout: 120_000 }, async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'pilothouse-crash-'));
  try {
    const all = new Map<string, number>();
    const plan: Array<{ ms: number; onCompaction: boolean }> = [
      { ms: 150, onCompaction: false },
      { ms: 400, onCompaction: false },
      { ms: 0, onCompaction: true },
      { ms: 50, onCompaction: false },
      { ms: 700, onCompaction: false },
      { ms: 0, onCompaction: true },
      { ms: 300 + Math.floor(Math.random() * 400), onCompaction: false },
    ];
    let compactionKills = 0;
    for (let round = 0; round < plan.length; round++) {
      const { ms, onCompaction } = plan[round]!;
      const r = await runRound(dir, round, ms, onCompaction);
      assert.ok(r.opened, `round ${round}: the child could not open the store`);
      if (onCompaction && r.sawCompaction) compactionKills++;
      for (const [k, rev] of r.acked) all.set(k, rev);

      const logs: string[] = [];
      const s = await openLowdbStore({ dir, log: (m) => logs.push(m) });
      try {
        const maxAcked = Math.max(0, ...all.values());
        assert.ok(s.revision() >= maxAcked, `round ${round}: revision ${s.revision()} regressed below acked ${maxAcked}`);
        for (const [key, rev] of all) {
          const e = await s.get(key);
          assert.ok(e, `round ${round}: acknowledged key ${key} (rev ${rev}) is missing`);
          assert.equal(e.modRevision, rev, `round ${round}: ${key} has the wrong revision`);
          assert.equal((e.value as { data?: { key?: string } }).data?.key, key);
        }
        // Everything present is well-formed and was really written by a child (acked or in flight).
        const list = await s.list('');
        const revs = new Set<number>();
        for (const e of list.items) {
          assert.match(e.key, /^\/crash\/r\d+-w\d+-\d+$/);
          assert.equal((e.value as { data?: { key?: string } }).data?.key, e.key);
          assert.equal(e.value.metadata.resourceVersion, String(e.modRevision));
          assert.ok(!revs.has(e.modRevision), 'duplicate revision');
          revs.add(e.modRevision);
        }
        assert.equal(list.items.length, s.revision(), 'creates only: one key per revision');
      } finally {
        await s.close();
      }
    }
    t.diagnostic(`${plan.length} kill rounds, ${all.size} acknowledged creates, ${compactionKills} kills during compaction`);
    assert.ok(all.size > 500, `too few acknowledged writes (${all.size}) to be meaningful`);
    assert.ok(compactionKills >= 1, 'at least one kill must land during a compaction');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
