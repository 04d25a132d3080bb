/**
 * The endpoints controller on an in-process API server: Endpoints per selector service with ready and not-ready
 * addresses, targetRef/nodeName/hostname, named and numeric targetPorts, publishNotReadyAddresses, headless
 * services, selector-less services left alone, deletion with the service.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Endpoints } from '../../../main/api/core/v1/endpoints.js';
import type { Pod } from '../../../main/api/core/v1/pod-types.js';
import { ENDPOINTS, isNotFound, PODS, SERVICES } from '../../../main/client/kube-client.js';
import { computeSubsets, endpointsControllerFactory } from '../../../main/controllers/endpoints-controller.js';
import { startControllerTest, waitFor } from './controller-fixture.js';
import { createPod, createService, setPodStatus } from './endpoints-fixtures.js';

const getEp = (admin: import('../../../main/client/kube-client.js').KubeClient, name: string) =>
  admin.get<Endpoints>(ENDPOINTS, 'default', name).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));

test('endpoints: ready and not-ready pods, named targetPort, targetRef and nodeName; deleted with the service', async () => {
  const t = await startControllerTest([endpointsControllerFactory]);
  try {
    await createService(t.admin, 'web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }, { tier: 'front' });
    const empty = await waitFor('empty endpoints', () => getEp(t.admin, 'web'), 20_000);
    assert.deepEqual(empty.subsets ?? [], []);
    assert.equal(empty.metadata.labels?.['tier'], 'front');
    const a = await createPod(t.admin, 'a', { nodeName: 'n1' });
    await createPod(t.admin, 'b');
    await createPod(t.admin, 'other', { labels: { app: 'db' } });
    await setPodStatus(t.admin, 'a', '10.244.0.5', true);
    await setPodStatus(t.admin, 'b', '10.244.0.4', false);
    await setPodStatus(t.admin, 'other', '10.244.0.9', true);
    const ep = await waitFor('both pods listed', async () => {
      const e = await getEp(t.admin, 'web');
      return e?.subsets?.[0]?.addresses?.length === 1 && e.subsets[0].notReadyAddresses?.length === 1 ? e : undefined;
    }, 20_000);
    assert.deepEqual(ep.subsets, [{
      addresses: [{ ip: '10.244.0.5', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: a.metadata.uid } }],
      notReadyAddresses: [{ ip: '10.244.0.4', targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: ep.subsets![0]!.notReadyAddresses![0]!.targetRef!.uid } }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    }]);
    // b becomes ready: both ready, sorted by IP.
    await setPodStatus(t.admin, 'b', '10.244.0.4', true);
    await waitFor('b ready', async () => (await getEp(t.admin, 'web'))?.subsets?.[0]?.addresses?.map((x) => x.ip).join() === '10.244.0.4,10.244.0.5', 20_000);
    // A pod being deleted drops out.
    await t.admin.delete(PODS, 'default', 'a');
    await waitFor('a gone', async () => (await getEp(t.admin, 'web'))?.subsets?.[0]?.addresses?.map((x) => x.ip).join() === '10.244.0.4', 20_000);
    await t.admin.delete(SERVICES, 'default', 'web');
    await waitFor('endpoints deleted', async () => (await getEp(t.admin, 'web')) === undefined, 20_000);
  } finally {
    await t.stop();
  }
});

test('endpoints: publishNotReadyAddresses, headless without ports and hostname, selector-less left alone', async () => {
  const t = await startControllerTest([endpointsControllerFactory]);
  try {
    await createPod(t.admin, 'p', { hostname: 'p0', subdomain: 'hl' });
    await setPodStatus(t.admin, 'p', '10.244.1.2', false);
    await createService(t.admin, 'pub', { selector: { app: 'web' }, publishNotReadyAddresses: true, ports: [{ port: 80, targetPort: 9090 }] });
    await createService(t.admin, 'hl', { selector: { app: 'web' }, clusterIP: 'None' });
    await createService(t.admin, 'manual', { ports: [{ port: 80 }] });
    const pub = await waitFor('pub', async () => (await getEp(t.admin, 'pub'))?.subsets?.[0] ? getEp(t.admin, 'pub') : undefined, 20_000);
    assert.deepEqual(pub.subsets![0]!.addresses!.map((x) => x.ip), ['10.244.1.2']);
    assert.deepEqual(pub.subsets![0]!.ports, [{ port: 9090, protocol: 'TCP' }]);
    const hl = await waitFor('hl', async () => (await getEp(t.admin, 'hl'))?.subsets?.[0] ? getEp(t.admin, 'hl') : undefined, 20_000);
    assert.equal(hl.metadata.labels?.['service.kubernetes.io/headless'], '');
    assert.deepEqual(hl.subsets![0]!.notReadyAddresses!.map((x) => [x.ip, x.hostname]), [['10.244.1.2', 'p0']]);
    assert.equal(hl.subsets![0]!.ports, undefined);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await getEp(t.admin, 'manual'), undefined);
  } finally {
    await t.stop();
  }
});

const pod = (name: string, ip: string | undefined, o: { ready?: boolean; phase?: string; restartPolicy?: string; ports?: { name: string; containerPort: number }[]; deleting?: boolean } = {}): Pod => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}`, ...(o.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
  spec: { containers: [{ name: 'c', image: 'x', ports: o.ports ?? [] }], ...(o.restartPolicy ? { restartPolicy: o.restartPolicy } : {}) },
  status: { phase: o.phase ?? 'Running', ...(ip ? { podIP: ip } : {}), conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
});

test('computeSubsets: table of inclusion rules and port grouping', () => {
  const svc = (extra: object = {}) => ({ metadata: { name: 's', namespace: 'default' }, spec: { selector: { a: 'b' }, ports: [{ name: 'web', port: 80, targetPort: 'web' }], ...extra } });
  const cases: [string, Pod[], object, string][] = [
    ['no IP is skipped', [pod('a', undefined, { ports: [{ name: 'web', containerPort: 81 }] })], {}, ''],
    ['unresolvable named port is skipped', [pod('a', '1.1.1.1')], {}, ''],
    ['terminating pod is skipped', [pod('a', '1.1.1.1', { deleting: true, ports: [{ name: 'web', containerPort: 81 }] })], {}, ''],
    ['terminating pod kept with publishNotReadyAddresses', [pod('a', '1.1.1.1', { deleting: true, ports: [{ name: 'web', containerPort: 81 }] })], { publishNotReadyAddresses: true }, 'R:1.1.1.1@81'],
    ['succeeded Never pod is skipped when not ready', [pod('a', '1.1.1.1', { ready: false, phase: 'Succeeded', restartPolicy: 'Never', ports: [{ name: 'web', containerPort: 81 }] })], {}, ''],
    ['failed Always pod stays not ready', [pod('a', '1.1.1.1', { ready: false, phase: 'Failed', ports: [{ name: 'web', containerPort: 81 }] })], {}, 'N:1.1.1.1@81'],
    ['pods with different ports form different subsets', [
      pod('a', '1.1.1.2', { ports: [{ name: 'web', containerPort: 81 }] }),
      pod('b', '1.1.1.1', { ports: [{ name: 'web', containerPort: 82 }] }),
      pod('c', '1.1.1.3', { ports: [{ name: 'web', containerPort: 81 }] }),
    ], {}, 'R:1.1.1.2,1.1.1.3@81|R:1.1.1.1@82'],
  ];
  for (const [name, pods, extra, want] of cases) {
    const got = computeSubsets(svc(extra) as never, pods).subsets
      .map((s) => [s.addresses?.length ? `R:${s.addresses.map((a) => a.ip).join(',')}` : '', s.notReadyAddresses?.length ? `N:${s.notReadyAddresses.map((a) => a.ip).join(',')}` : '']
        .filter(Boolean).join(' ') + `@${(s.ports ?? []).map((p) => p.port).join(',')}`)
      .join('|');
    assert.equal(got, want, name);
  }
});

test('computeSubsets: over 1000 addresses are truncated, ready ones first', () => {
  const svc = { metadata: { name: 's', namespace: 'default' }, spec: { selector: { a: 'b' }, ports: [{ port: 80 }] } };
  const pods = Array.from({ length: 1100 }, (_, i) => pod(`p${i}`, `10.0.${i >> 8}.${i & 255}`, { ready: i % 2 === 0 }));
  const { subsets, truncated } = computeSubsets(svc as never, pods);
  assert.equal(truncated, true);
  assert.equal(subsets[0]!.addresses!.length, 550);
  assert.equal(subsets[0]!.notReadyAddresses!.length, 450);
});
