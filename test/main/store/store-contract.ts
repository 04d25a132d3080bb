/**
 * The store contract suite (main/store/store.ts): every backend runs it through `runStoreContract`.
 * Each test opens a fresh store with `makeStore` and closes it at the end.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KObject } from '../../../main/api/meta/object.js';
import { StoreError, type Store, type StoreEvent } from '../../../main/store/store.js';
import type { HistoryPolicy } from '../../../main/store/watch-hub.js';

export interface MakeStoreOptions {
  history?: Partial<HistoryPolicy>;
}

export type MakeStore = (opts?: MakeStoreOptions) => Promise<Store>;

export function pod(name: string, ns = 'default', extra: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, uid: `uid-${ns}-${name}`, labels: { app: name } },
    spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
    ...extra,
  };
}

async function rejectsWith(p: Promise<unknown>, code: StoreError['code']): Promise<StoreError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof StoreError, `expected StoreError(${code}), got ${String(e)}`);
    assert.equal(e.code, code);
    return e;
  }
  assert.fail(`expected StoreError(${code}), but the call succeeded`);
}

/** Records events of one watch; `waitFor(n)` resolves once n events arrived (or fails after 5 s). */
export function collect(store: Store, prefix: string, from: number) {
  const events: StoreEvent[] = [];
  const errors: StoreError[] = [];
  const stop = store.watch(prefix, from, { onEvent: (e) => events.push(e), onError: (e) => errors.push(e) });
  const waitFor = async (n: number): Promise<StoreEvent[]> => {
    const deadline = Date.now() + 5000;
    while (events.length < n) {
      if (Date.now() > deadline) assert.fail(`expected ${n} events under ${prefix}, got ${events.length}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    return events;
  };
  return { events, errors, stop, waitFor };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

export function runStoreContract(name: string, makeStore: MakeStore): void {
  const withStore = (title: string, fn: (s: Store) => Promise<void>, opts?: MakeStoreOptions) =>
    test(title, async () => {
      const s = await makeStore(opts);
      try {
        await fn(s);
      } finally {
        await s.close();
      }
    });

  describe(`store contract: ${name}`, () => {
    withStore('a fresh store is empty at revision 0', async (s) => {
      assert.equal(s.revision(), 0);
      assert.equal(await s.get('/pods/default/a'), undefined);
      const l = await s.list('/');
      assert.deepEqual(l.items, []);
      assert.equal(l.revision, 0);
      assert.equal(l.more, false);
      assert.equal(await s.count('/'), 0);
      assert.equal(typeof s.backend, 'string');
    });

    withStore('create stamps revision and resourceVersion without touching the input', async (s) => {
      const input = pod('a');
      const e = await s.create('/pods/default/a', input);
      assert.equal(e.key, '/pods/default/a');
      assert.equal(e.modRevision, 1);
      assert.equal(e.createRevision, 1);
      assert.equal(e.value.metadata.resourceVersion, '1');
      assert.equal(e.value.metadata.name, 'a');
      assert.deepEqual(e.value.spec, input.spec);
      assert.equal(input.metadata.resourceVersion, undefined, 'caller value must not be mutated');
      assert.equal(s.revision(), 1);
      const got = await s.get('/pods/default/a');
      assert.ok(got);
      assert.equal(got.modRevision, 1);
      assert.equal(got.value.metadata.resourceVersion, '1');
    });

    withStore('create of an existing key fails with KeyExists and changes nothing', async (s) => {
      await s.create('/k', pod('a'));
      const err = await rejectsWith(s.create('/k', pod('b')), 'KeyExists');
      assert.ok(err.message.includes('/k'));
      assert.equal(s.revision(), 1);
      assert.equal((await s.get('/k'))!.value.metadata.name, 'a');
    });

    withStore('update replaces the value, keeps createRevision, bumps modRevision', async (s) => {
      await s.create('/k', pod('a'));
      await s.create('/other', pod('o'));
      const u = await s.update('/k', pod('a', 'default', { spec: { x: 1 } }));
      assert.equal(u.modRevision, 3);
      assert.equal(u.createRevision, 1);
      assert.equal(u.value.metadata.resourceVersion, '3');
      assert.deepEqual((await s.get('/k'))!.value.spec, { x: 1 });
    });

    withStore('update with expected revision: match succeeds, mismatch is Conflict carrying the current entry', async (s) => {
      const c = await s.create('/k', pod('a'));
      const u = await s.update('/k', pod('a', 'default', { spec: { v: 2 } }), c.modRevision);
      assert.equal(u.modRevision, 2);
      const err = await rejectsWith(s.update('/k', pod('a', 'default', { spec: { v: 3 } }), c.modRevision), 'Conflict');
      assert.equal(err.current?.modRevision, 2);
      assert.equal(s.revision(), 2);
      assert.deepEqual((await s.get('/k'))!.value.spec, { v: 2 });
    });

    withStore('update of a missing key is KeyNotFound', async (s) => {
      await rejectsWith(s.update('/missing', pod('a')), 'KeyNotFound');
      await rejectsWith(s.update('/missing', pod('a'), 1), 'KeyNotFound');
      assert.equal(s.revision(), 0);
    });

    withStore('delete returns the last value stamped with the deletion revision', async (s) => {
      await s.create('/k', pod('a'));
      const d = await s.delete('/k');
      assert.equal(d.modRevision, 2);
      assert.equal(d.createRevision, 1);
      assert.equal(d.value.metadata.resourceVersion, '2');
      assert.equal(d.value.metadata.name, 'a');
      assert.equal(await s.get('/k'), undefined);
      assert.equal(await s.count('/'), 0);
      assert.equal(s.revision(), 2);
      await rejectsWith(s.delete('/k'), 'KeyNotFound');
      // The key can be created again, with a new createRevision.
      const again = await s.create('/k', pod('a'));
      assert.equal(again.createRevision, 3);
    });

    withStore('delete with a precondition', async (s) => {
      const c = await s.create('/k', pod('a'));
      await s.update('/k', pod('a'));
      const err = await rejectsWith(s.delete('/k', c.modRevision), 'Conflict');
      assert.equal(err.current?.modRevision, 2);
      assert.ok(await s.get('/k'));
      const d = await s.delete('/k', 2);
      assert.equal(d.modRevision, 3);
    });

    withStore('revisions are global, +1 per successful write, unaffected by failed writes', async (s) => {
      const seen: number[] = [];
      seen.push((await s.create('/a', pod('a'))).modRevision);
      await rejectsWith(s.create('/a', pod('a')), 'KeyExists');
      seen.push((await s.create('/b', pod('b'))).modRevision);
      await rejectsWith(s.update('/a', pod('a'), 99), 'Conflict');
      seen.push((await s.update('/a', pod('a'))).modRevision);
      seen.push((await s.delete('/b')).modRevision);
      assert.deepEqual(seen, [1, 2, 3, 4]);
      assert.equal(s.revision(), 4);
    });

    withStore('concurrent writes get distinct consecutive revisions', async (s) => {
      const entries = await Promise.all(
        Array.from({ length: 50 }, (_, i) => s.create(`/pods/ns/p${String(i).padStart(2, '0')}`, pod(`p${i}`, 'ns'))),
      );
      const revs = entries.map((e) => e.modRevision).sort((a, b) => a - b);
      assert.deepEqual(revs, Array.from({ length: 50 }, (_, i) => i + 1));
      for (const e of entries) assert.equal(e.value.metadata.resourceVersion, String(e.modRevision));
      assert.equal(await s.count('/pods/ns/'), 50);
    });

    withStore('list is sorted by key, selects by prefix, and pages with limit/after/remaining', async (s) => {
      const names = ['m', 'c', 'x', 'a', 'q', 'b', 'z', 'd'];
      for (const n of names) await s.create(`/pods/default/${n}`, pod(n));
      await s.create('/pods/default2/a', pod('a', 'default2'));
      await s.create('/pods/kube-system/a', pod('a', 'kube-system'));
      await s.create('/services/default/a', pod('a'));
      const all = await s.list('/pods/default/');
      assert.deepEqual(all.items.map((e) => e.key), [...names].sort().map((n) => `/pods/default/${n}`));
      assert.equal(all.more, false);
      assert.equal(all.revision, s.revision());
      assert.equal(await s.count('/pods/default/'), 8);
      assert.equal(await s.count('/pods/'), 10);
      assert.equal(await s.count('/'), 11);
      assert.equal(await s.count('/nothing/'), 0);

      const p1 = await s.list('/pods/default/', { limit: 3 });
      assert.deepEqual(p1.items.map((e) => e.key.slice(-1)), ['a', 'b', 'c']);
      assert.equal(p1.more, true);
      assert.equal(p1.remaining, 5);
      const p2 = await s.list('/pods/default/', { limit: 3, after: p1.items.at(-1)!.key });
      assert.deepEqual(p2.items.map((e) => e.key.slice(-1)), ['d', 'm', 'q']);
      assert.equal(p2.remaining, 2);
      const p3 = await s.list('/pods/default/', { limit: 3, after: p2.items.at(-1)!.key });
      assert.deepEqual(p3.items.map((e) => e.key.slice(-1)), ['x', 'z']);
      assert.equal(p3.more, false);
      assert.equal(p3.remaining, 0);
      // `after` need not be an existing key.
      const p4 = await s.list('/pods/default/', { after: '/pods/default/n' });
      assert.deepEqual(p4.items.map((e) => e.key.slice(-1)), ['q', 'x', 'z']);
      // A limit that exactly fits is not "more".
      const exact = await s.list('/pods/default/', { limit: 8 });
      assert.equal(exact.items.length, 8);
      assert.equal(exact.more, false);
      // Values in lists carry their own revisions.
      for (const e of all.items) assert.equal(e.value.metadata.resourceVersion, String(e.modRevision));
    });

    withStore('list stays correct across many inserts and deletes', async (s) => {
      const keys: string[] = [];
      for (let i = 0; i < 1500; i++) keys.push(`/k/${String((i * 7919) % 1500).padStart(5, '0')}`);
      for (let i = 0; i < keys.length; i += 100) {
        await Promise.all(keys.slice(i, i + 100).map((k) => s.create(k, pod(k.slice(3)))));
      }
      const removed = keys.filter((_, i) => i % 3 === 0);
      for (let i = 0; i < removed.length; i += 100) await Promise.all(removed.slice(i, i + 100).map((k) => s.delete(k)));
      const expected = keys.filter((_, i) => i % 3 !== 0).sort();
      assert.deepEqual((await s.list('/k/')).items.map((e) => e.key), expected);
      assert.equal(await s.count('/k/'), expected.length);
      const paged: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await s.list('/k/', { limit: 97, after });
        paged.push(...page.items.map((e) => e.key));
        assert.equal(page.remaining, expected.length - paged.length);
        if (!page.more) break;
        after = page.items.at(-1)!.key;
      }
      assert.deepEqual(paged, expected);
    });

    withStore('watch from now delivers create/update/delete in order with prev values', async (s) => {
      await s.create('/pods/default/old', pod('old'));
      const w = collect(s, '/pods/', s.revision());
      await s.create('/pods/default/a', pod('a'));
      await s.create('/services/default/a', pod('a'));
      await s.update('/pods/default/a', pod('a', 'default', { spec: { v: 2 } }));
      await s.delete('/pods/default/a');
      const evs = await w.waitFor(3);
      await settle();
      assert.equal(evs.length, 3, 'other prefixes must not be delivered');
      assert.deepEqual(evs.map((e) => e.type), ['create', 'update', 'delete']);
      assert.deepEqual(evs.map((e) => e.revision), [2, 4, 5]);
      const [c, u, d] = evs as [StoreEvent, StoreEvent, StoreEvent];
      assert.equal(c.prev, undefined);
      assert.equal(c.entry.value.metadata.resourceVersion, '2');
      assert.equal(u.prev?.modRevision, 2);
      assert.deepEqual(u.entry.value.spec, { v: 2 });
      assert.equal(d.prev?.modRevision, 4);
      assert.equal(d.entry.modRevision, 5);
      assert.equal(d.entry.value.metadata.resourceVersion, '5');
      assert.deepEqual(d.entry.value.spec, { v: 2 });
      w.stop();
    });

    withStore('watch from a past revision replays history then continues live, without gaps', async (s) => {
      for (let i = 0; i < 10; i++) await s.create(`/a/${i}`, pod(`a${i}`));
      await s.update('/a/3', pod('a3'));
      await s.delete('/a/4');
      const w = collect(s, '/a/', 5);
      const w0 = collect(s, '/a/', 0);
      await s.create('/a/10', pod('a10'));
      const evs = await w.waitFor(8);
      assert.deepEqual(evs.map((e) => e.revision), [6, 7, 8, 9, 10, 11, 12, 13]);
      assert.deepEqual(evs.slice(-3).map((e) => e.type), ['update', 'delete', 'create']);
      assert.equal(evs[6]!.prev?.key, '/a/4');
      const all = await w0.waitFor(13);
      assert.deepEqual(all.map((e) => e.revision), Array.from({ length: 13 }, (_, i) => i + 1));
      w.stop();
      w0.stop();
    });

    withStore('watch delivery is ordered and gap-free under concurrent writes', async (s) => {
      const w = collect(s, '/', s.revision());
      await Promise.all(Array.from({ length: 200 }, (_, i) => s.create(`/c/${i}`, pod(`c${i}`))));
      const evs = await w.waitFor(200);
      assert.deepEqual(evs.map((e) => e.revision), Array.from({ length: 200 }, (_, i) => i + 1));
      w.stop();
    });

    withStore(
      'a watch older than the retained history throws Compacted with the compact revision',
      async (s) => {
        for (let i = 0; i < 30; i++) await s.create(`/h/${i}`, pod(`h${i}`));
        const cr = s.compactRevision();
        assert.ok(cr >= 20, `compact revision ${cr} should reflect a 10-event history`);
        let thrown: unknown;
        try {
          s.watch('/h/', 5, { onEvent: () => undefined });
        } catch (e) {
          thrown = e;
        }
        assert.ok(thrown instanceof StoreError, 'watch from a compacted revision must throw');
        assert.equal(thrown.code, 'Compacted');
        assert.equal(thrown.compactRevision, cr);
        const w = collect(s, '/h/', cr);
        const evs = await w.waitFor(30 - cr);
        assert.equal(evs[0]!.revision, cr + 1);
        w.stop();
      },
      { history: { minEvents: 10, maxEvents: 10, windowMs: 0 } },
    );

    withStore('a watch from a future revision delivers only events after it', async (s) => {
      await s.create('/f/0', pod('f0'));
      const w = collect(s, '/f/', 3);
      for (let i = 1; i <= 4; i++) await s.create(`/f/${i}`, pod(`f${i}`));
      const evs = await w.waitFor(2);
      await settle();
      assert.deepEqual(evs.map((e) => e.revision), [4, 5]);
      w.stop();
    });

    withStore('unsubscribe stops delivery', async (s) => {
      const w = collect(s, '/', 0);
      await s.create('/x', pod('x'));
      await w.waitFor(1);
      w.stop();
      await s.create('/y', pod('y'));
      await settle();
      assert.equal(w.events.length, 1);
    });

    withStore('a handler that writes to the store does not break ordering (no reentrancy)', async (s) => {
      const seen: number[] = [];
      let inHandler = false;
      let reentered = false;
      const writes: Promise<unknown>[] = [];
      const stopAll = s.watch('/', 0, {
        onEvent: (e) => {
          if (inHandler) reentered = true;
          inHandler = true;
          seen.push(e.revision);
          inHandler = false;
        },
      });
      const stopA = s.watch('/a/', 0, {
        onEvent: (e) => {
          if (inHandler) reentered = true;
          inHandler = true;
          if (e.type === 'create') writes.push(s.create(`/b/${e.entry.key.slice(3)}`, pod('b')));
          inHandler = false;
        },
      });
      await Promise.all(Array.from({ length: 20 }, (_, i) => s.create(`/a/${i}`, pod(`a${i}`))));
      const deadline = Date.now() + 5000;
      while (seen.length < 40 && Date.now() < deadline) {
        await Promise.all(writes);
        await settle();
      }
      assert.equal(reentered, false);
      assert.deepEqual(seen, Array.from({ length: 40 }, (_, i) => i + 1));
      stopAll();
      stopA();
    });

    withStore('values passed in are never mutated, even when sharing metadata with stored values', async (s) => {
      const a = await s.create('/k', pod('a'));
      // A careless caller reuses the stored metadata object in its next value.
      const next: KObject = { ...a.value, spec: { v: 2 } };
      const u = await s.update('/k', next, a.modRevision);
      assert.equal(a.value.metadata.resourceVersion, '1', 'the older stored value must keep its revision');
      assert.equal(u.value.metadata.resourceVersion, '2');
    });

    test('close: later calls fail with Closed and watches end with onError', async () => {
      const s = await makeStore();
      await s.create('/x', pod('x'));
      const w = collect(s, '/', 0);
      await w.waitFor(1);
      await s.close();
      assert.equal(w.errors.length, 1);
      assert.equal(w.errors[0]!.code, 'Closed');
      await rejectsWith(s.create('/y', pod('y')), 'Closed');
      await rejectsWith(s.update('/x', pod('x')), 'Closed');
      await rejectsWith(s.delete('/x'), 'Closed');
      await rejectsWith(s.get('/x'), 'Closed');
      await rejectsWith(s.list('/'), 'Closed');
      await rejectsWith(s.count('/'), 'Closed');
      assert.throws(() => s.watch('/', 0, { onEvent: () => undefined }), (e: unknown) => e instanceof StoreError && e.code === 'Closed');
      await s.close(); // idempotent
    });
  });
}
