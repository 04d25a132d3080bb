/**
 * kill -9 crash test through the whole stack: ten concurrent writers create ConfigMaps over HTTPS with the admin
 * client certificate while `pilothouse serve` is SIGKILLed mid-flight, several rounds on the same data dir. A
 * ConfigMap counts as acknowledged only once its 201 response has arrived. After every restart each
 * acknowledged ConfigMap must exist with its data, resourceVersions must keep growing, and the server must be
 * healthy (readyz, list, kubectl).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { makeDataDir, startServe, type ServeProcess } from '../helpers/serve-process.js';
import { kubectlFor } from '../helpers/kubectl.js';

const WRITERS = 10;
/** The last round is killed right after a compaction started (WAL rotated, snapshot being written). */
const ROUNDS = 4;
/** ~16 KB of data per ConfigMap, so that the rounds together exceed the WAL's compaction threshold (8 MiB). */
const FILLER = 'x'.repeat(16 * 1024);

interface Client {
  agent: Agent;
  url: string;
}

interface Reply {
  status: number;
  body: string;
}

interface ConfigMap {
  metadata: { name: string; uid: string; resourceVersion: string };
  data?: Record<string, string>;
}

let dataDir: string;
let server: ServeProcess;
/** Every acknowledged ConfigMap: name → {data, uid, resourceVersion} from its 201 response. */
const acked = new Map<string, { data: Record<string, string>; uid: string; resourceVersion: bigint }>();
let maxAckedRv = 0n;

async function clientFor(s: ServeProcess): Promise<Client> {
  const kc = parseYaml(await readFile(s.kubeconfig, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  };
  const b64 = (v: string) => Buffer.from(v, 'base64');
  const agent = new Agent({
    keepAlive: true,
    maxSockets: WRITERS * 2,
    ca: b64(kc.clusters[0]!.cluster['certificate-authority-data']),
    cert: b64(kc.users[0]!.user['client-certificate-data']),
    key: b64(kc.users[0]!.user['client-key-data']),
  });
  return { agent, url: kc.clusters[0]!.cluster.server };
}

function call(c: Client, method: string, path: string, body?: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const u = new URL(path, c.url);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        method,
        hostname: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        agent: c.agent,
        headers: { Accept: 'application/json', ...(payload ? { 'Content-Type': 'application/json' } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** One writer: creates ConfigMaps one after another until a request fails (the server was killed). */
async function writer(c: Client, round: number, id: number, stats: { acked: number; errors: string[] }): Promise<void> {
  for (let i = 0; ; i++) {
    const name = `r${round}-w${id}-${i}`;
    const data = { round: String(round), writer: String(id), seq: String(i), filler: FILLER };
    let reply: Reply;
    try {
      reply = await call(c, 'POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
    } catch {
      return; // connection reset / refused: the server is gone, and this create was never acknowledged
    }
    if (reply.status !== 201) {
      stats.errors.push(`${name}: ${reply.status} ${reply.body}`);
      return;
    }
    const cm = JSON.parse(reply.body) as ConfigMap;
    const rv = BigInt(cm.metadata.resourceVersion);
    acked.set(name, { data, uid: cm.metadata.uid, resourceVersion: rv });
    if (rv > maxAckedRv) maxAckedRv = rv;
    stats.acked++;
  }
}

/** Checks every acknowledged ConfigMap against a LIST of the restarted server, and its health. */
async function verify(s: ServeProcess): Promise<void> {
  const c = await clientFor(s);
  try {
    const ready = await call(c, 'GET', '/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.body, 'ok');
    const list = await call(c, 'GET', '/api/v1/namespaces/default/configmaps');
    assert.equal(list.status, 200, list.body);
    const parsed = JSON.parse(list.body) as { kind: string; metadata: { resourceVersion: string }; items: ConfigMap[] };
    assert.equal(parsed.kind, 'ConfigMapList');
    const byName = new Map(parsed.items.map((cm) => [cm.metadata.name, cm]));
    const missing: string[] = [];
    for (const [name, want] of acked) {
      const got = byName.get(name);
      if (!got) {
        missing.push(name);
        continue;
      }
      assert.deepEqual(got.data, want.data, name);
      assert.equal(got.metadata.uid, want.uid, name);
      assert.equal(BigInt(got.metadata.resourceVersion), want.resourceVersion, name);
    }
    assert.deepEqual(missing, [], `${missing.length} of ${acked.size} acknowledged ConfigMaps lost`);
    // Unacknowledged creates may or may not have survived, but nothing else may appear.
    for (const name of byName.keys()) assert.match(name, /^(r\d+-w\d+-\d+|kube-root-ca\.crt|probe-\d+)$/, `unexpected ConfigMap ${name}`);
    assert.ok(BigInt(parsed.metadata.resourceVersion) >= maxAckedRv, 'list resourceVersion covers every acknowledged write');

    // New writes continue after the highest acknowledged resourceVersion (no revision is handed out twice).
    const probe = await call(c, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: `probe-${acked.size}` }, data: { a: 'b' } });
    assert.equal(probe.status, 201, probe.body);
    assert.ok(BigInt((JSON.parse(probe.body) as ConfigMap).metadata.resourceVersion) > maxAckedRv);
    const gone = await call(c, 'DELETE', `/api/v1/namespaces/default/configmaps/probe-${acked.size}`);
    assert.equal(gone.status, 200, gone.body);
  } finally {
    c.agent.destroy();
  }
}

before(async () => {
  dataDir = await makeDataDir('pilothouse-crash-');
  server = await startServe({ dataDir });
});

after(async () => {
  await server?.stop('SIGKILL');
  await server?.cleanup();
});

/** WAL generations in the store dir (`store.wal.<n>`); a new one means a compaction has started. */
function walGenerations(): number[] {
  return readdirSync(join(dataDir, 'store'))
    .map((f) => /^store\.wal\.(\d+)$/.exec(f)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number);
}

let killedDuringCompaction = false;

for (let round = 1; round <= ROUNDS; round++) {
  const last = round === ROUNDS;
  test(`round ${round}: SIGKILL ${last ? 'right after a compaction started' : 'during concurrent creates'} loses no acknowledged ConfigMap`, async () => {
    const c = await clientFor(server);
    const stats = { acked: 0, errors: [] as string[] };
    const writers = Array.from({ length: WRITERS }, (_, id) => writer(c, round, id, stats));
    const t0 = Date.now();
    // Let the writers get going (some acknowledged creates) before killing.
    while (stats.acked < 20 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 5));
    if (last) {
      // Kill as soon as the WAL rotates (the first step of a compaction), while the snapshot is being written.
      const before = Math.max(...walGenerations());
      while (Math.max(...walGenerations()) === before && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 2));
      killedDuringCompaction = Math.max(...walGenerations()) > before;
    } else {
      await new Promise((r) => setTimeout(r, 150 + round * 150));
    }
    const ackedAtKill = stats.acked;
    const code = await server.stop('SIGKILL');
    assert.equal(code, null, 'killed by the signal');
    await Promise.all(writers);
    c.agent.destroy();
    assert.deepEqual(stats.errors, [], 'every create that got an answer got a 201');
    assert.ok(ackedAtKill >= 20, `only ${ackedAtKill} creates acknowledged before the kill`);
    if (last) assert.ok(killedDuringCompaction, `no compaction started within 30 s (${acked.size} creates acknowledged)`);

    // Restart on the same data dir: the stale lock of the killed process is taken over.
    server = await startServe({ dataDir });
    await verify(server);
  });
}

test('after the crash rounds: kubectl lists everything, and a clean restart keeps it', async () => {
  const kubectl = kubectlFor(server.kubeconfig);
  const names = (await kubectl.ok(['get', 'configmaps', '-n', 'default', '-o', 'name'])).trim().split('\n');
  for (const name of acked.keys()) assert.ok(names.includes(`configmap/${name}`), name);
  const table = (await kubectl.ok(['get', 'configmap', [...acked.keys()][0]!, '-n', 'default'])).split('\n');
  assert.match(table[0]!, /^NAME\s+DATA\s+AGE$/);
  assert.match(table[1]!, /\s4\s/);
  assert.equal(await server.stop('SIGTERM'), 0);
  server = await startServe({ dataDir });
  await verify(server);
});
