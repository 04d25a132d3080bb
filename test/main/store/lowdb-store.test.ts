import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { openLowdbStore, type LowdbStore, type LowdbStoreOptions } from '../../../main/store/lowdb-store.js';
import type { Store, StoredEntry } from '../../../main/store/store.js';
import { listWalGenerations, walPath } from '../../../main/store/wal.js';
import { collect, pod, runStoreContract } from './store-contract.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'pilothouse-store-'));
  dirs.push(d);
  return d;
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const quiet = () => undefined;

async function open(dir: string, extra: Partial<LowdbStoreOptions> = {}): Promise<LowdbStore> {
  return openLowdbStore({ dir, log: quiet, ...extra });
}

runStoreContract('lowdb', async (opts) => open(await tempDir(), { history: opts?.history }));

/** Everything in the store, as comparable plain data. */
async function dump(s: Store): Promise<Array<[string, number, number, unknown]>> {
  const l = await s.list('');
  return l.items.map((e: StoredEntry) => [e.key, e.createRevision, e.modRevision, e.value]);
}

/** Copies a live data dir as a crash at this instant would leave it (minus the lock of this live process). */
async function crashCopy(dir: string): Promise<string> {
  const copy = await tempDir();
  await cp(dir, copy, { recursive: true });
  await rm(path.join(copy, 'store.lock'), { force: true });
  return copy;
}

async function churn(s: Store, n: number, tag: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    const key = `/pods/${tag}/p${i % 37}`;
    const cur = await s.get(key);
    if (!cur) await s.create(key, pod(`p${i}`, tag, { spec: { i } }));
    else if (i % 5 === 0) await s.delete(key, cur.modRevision);
    else await s.update(key, pod(`p${i}`, tag, { spec: { i } }), cur.modRevision);
  }
}

describe('lowdb store: durability and recovery', () => {
  test('state, revision and cached JSON survive close and reopen', async () => {
    const dir = await tempDir();
    const s = await open(dir);
    await churn(s, 120, 'a');
    const before = await dump(s);
    const rev = s.revision();
    await s.close();

    const r = await open(dir);
    assert.equal(r.revision(), rev);
    assert.deepEqual(await dump(r), before);
    for (const e of (await r.list('')).items) {
      if (e.json !== undefined) assert.deepEqual(JSON.parse(e.json), e.value);
    }
    const next = await r.create('/pods/a/new', pod('new', 'a'));
    assert.equal(next.modRevision, rev + 1);
    await r.close();
  });

  test('an unclean stop (no close) loses no acknowledged write', async () => {
    const dir = await tempDir();
    const s = await open(dir);
    await Promise.all(Array.from({ length: 100 }, (_, i) => s.create(`/k/${i}`, pod(`k${i}`))));
    const copy = await crashCopy(dir);
    await s.close();
    const r = await open(copy);
    assert.equal(r.revision(), 100);
    assert.equal(await r.count('/k/'), 100);
    await r.close();
  });

  for (const damage of ['truncate', 'corrupt', 'garbage'] as const) {
    test(`a damaged WAL tail (${damage}) is detected, dropped and truncated; earlier records are kept`, async () => {
      const dir = await tempDir();
      const s = await open(dir);
      for (let i = 1; i <= 5; i++) await s.create(`/k/${i}`, pod(`k${i}`));
      await s.close();
      const [gen] = await listWalGenerations(dir);
      const file = walPath(dir, gen!);
      const size = (await stat(file)).size;
      if (damage === 'truncate') await truncate(file, size - 7);
      if (damage === 'corrupt') {
        const buf = await readFile(file);
        buf[buf.length - 3] = buf[buf.length - 3]! ^ 0x5a;
        await writeFile(file, buf);
      }
      if (damage === 'garbage') await writeFile(file, Buffer.from('\x07\x00\x00\x00garbage!!!'), { flag: 'a' });

      const logs: string[] = [];
      const r = await open(dir, { log: (m) => logs.push(m) });
      const expectRev = damage === 'garbage' ? 5 : 4;
      assert.equal(r.revision(), expectRev);
      assert.equal(await r.count('/k/'), expectRev);
      assert.equal(logs.length, 1, `one recovery notice expected, got ${JSON.stringify(logs)}`);
      assert.match(logs[0]!, /dropping \d+ trailing bytes/);
      // The file was cut at the last good record: new writes land after it and survive another reopen.
      await r.create('/k/new', pod('new'));
      await r.close();
      const again = await open(dir, { log: (m) => logs.push(m) });
      assert.equal(logs.length, 1, 'no damage left after truncation');
      assert.equal(again.revision(), expectRev + 1);
      assert.ok(await again.get('/k/new'));
      await again.close();
    });
  }

  test('compaction writes a readable lowdb snapshot, removes old WAL generations, and reopens identically', async () => {
    const dir = await tempDir();
    const s = await open(dir, { compactMinBytes: 4096 });
    await churn(s, 400, 'c');
    await s.compact();
    assert.ok(s.stats().compactions >= 1);
    await churn(s, 50, 'd');
    const before = await dump(s);
    const rev = s.revision();
    await s.close();

    const snap = JSON.parse(await readFile(path.join(dir, 'store.json'), 'utf8')) as {
      format: string;
      revision: number;
      walGeneration: number;
      entries: Array<{ key: string; modRevision: number; createRevision: number; value: unknown }>;
    };
    assert.equal(snap.format, 'pilothouse-store/v1');
    assert.ok(snap.revision > 0 && snap.revision <= rev);
    const gens = await listWalGenerations(dir);
    assert.ok(gens.every((g) => g >= snap.walGeneration), `stale WAL generations left: ${gens} < ${snap.walGeneration}`);
    assert.ok(!(await readdir(dir)).some((n) => n.endsWith('.tmp')));

    const r = await open(dir);
    assert.equal(r.revision(), rev);
    assert.deepEqual(await dump(r), before);
    // Events after the snapshot were replayed into the watch history.
    assert.equal(r.compactRevision(), snap.revision);
    const w = collect(r, '/', snap.revision);
    await w.waitFor(rev - snap.revision);
    w.stop();
    await r.close();
  });

  test('a crash at any compaction step recovers to the exact committed state', async () => {
    const dir = await tempDir();
    const copies: Array<{ step: string; dir: string; state: Awaited<ReturnType<typeof dump>> }> = [];
    let s!: LowdbStore;
    s = await open(dir, {
      compactMinBytes: 1 << 30,
      compactionProbe: async (step) => {
        copies.push({ step, dir: await crashCopy(dir), state: await dump(s) });
      },
    });
    await churn(s, 300, 'x');
    await s.compact();
    await churn(s, 100, 'y');
    await s.compact();
    await s.close();
    assert.deepEqual(copies.map((c) => c.step), ['rotated', 'snapshot-written', 'done', 'rotated', 'snapshot-written', 'done']);
    // A crash while the snapshot temp file was half written.
    const partial = copies[3]!;
    await writeFile(path.join(partial.dir, '.store.json.tmp'), '{"format": "pilothouse-store/v1", "revis');
    for (const c of copies) {
      const r = await open(c.dir);
      assert.deepEqual(await dump(r), c.state, `state after a crash at step ${c.step}`);
      await r.create('/after/crash', pod('z'));
      await r.close();
      assert.ok(!(await readdir(c.dir)).includes('.store.json.tmp'));
    }
  });

  test('a corrupt snapshot makes open fail loudly instead of starting empty', async () => {
    const dir = await tempDir();
    const s = await open(dir, { compactMinBytes: 1024 });
    await churn(s, 50, 'q');
    await s.compact();
    await s.close();
    await writeFile(path.join(dir, 'store.json'), '{"format": "pilothouse-st');
    await assert.rejects(open(dir), /not valid JSON/);
    // The failed open released its lock.
    await assert.rejects(open(dir), /not valid JSON/);
  });

  test('the lock file keeps a second server out and is released on close', async () => {
    const dir = await tempDir();
    const s = await open(dir);
    await assert.rejects(open(dir), /already in use by process \d+/);
    await s.create('/k', pod('k'));
    await s.close();
    const r = await open(dir);
    assert.ok(await r.get('/k'));
    await r.close();
  });

  test('a stale lock left by a dead process is taken over', async () => {
    const dir = await tempDir();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const pid = Number(dead.stdout.toString());
    const { hostname } = await import('node:os');
    await writeFile(path.join(dir, 'store.lock'), JSON.stringify({ pid, hostname: hostname() }));
    const s = await open(dir);
    await s.create('/k', pod('k'));
    await s.close();
  });
});

describe('lowdb store: acknowledgement ordering', () => {
  test('a write resolves, and becomes visible to reads and watches, only after the WAL fdatasync', async () => {
    const dir = await tempDir();
    const s = await open(dir);
    const { open: fsOpen } = await import('node:fs/promises');
    const probe = await fsOpen(path.join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
    await probe.close();
    const original = proto.datasync;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let syncs = 0;
    proto.datasync = async function (this: unknown) {
      syncs++;
      await gate;
      return original.call(this);
    };
    try {
      const w = collect(s, '/', s.revision());
      let resolved = false;
      const p = s.create('/k', pod('k')).then((e) => {
        resolved = true;
        return e;
      });
      await new Promise((r) => setTimeout(r, 30));
      assert.equal(syncs, 1, 'the write is being synced');
      assert.equal(resolved, false, 'acknowledged before fdatasync completed');
      assert.equal(await s.get('/k'), undefined, 'a not-yet-durable write must not be readable');
      assert.equal(s.revision(), 0);
      assert.equal(w.events.length, 0);
      // Preconditions already see the pending write.
      await assert.rejects(s.create('/k', pod('k')), /already exists/);
      release();
      const e = await p;
      assert.equal(e.modRevision, 1);
      assert.ok(await s.get('/k'));
      await w.waitFor(1);
      w.stop();
    } finally {
      proto.datasync = original;
      release();
      await s.close();
    }
  });
});
