import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KObject } from '../../../../main/api/meta/object.js';
import { ImageLocality, normalizedImageName } from '../../../../main/scheduler/plugins/image-locality.js';
import {
  ERR_REASON_BIND_CONFLICT,
  ERR_REASON_NODE_CONFLICT,
  ERR_REASON_PV_NOT_EXIST,
  ERR_UNBOUND_IMMEDIATE,
  VolumeBinding,
} from '../../../../main/scheduler/plugins/volume-binding.js';
import { ctr, fakeContext, makeNode, makePod, nodeInfo, runFilter, runScore, unresolvable, type ListerData } from './builders.js';

const MB = 1024 * 1024;

test('ImageLocality: normalized names get :latest only when untagged', () => {
  assert.equal(normalizedImageName('gcr.io/40'), 'gcr.io/40:latest');
  assert.equal(normalizedImageName('gcr.io/40:v1'), 'gcr.io/40:v1');
  assert.equal(normalizedImageName('localhost:5000/img'), 'localhost:5000/img:latest');
});

test('ImageLocality: two images spread on two nodes, prefer the larger image one (upstream case)', () => {
  const n1 = nodeInfo(makeNode('node1'));
  n1.imageStates.set('gcr.io/40:latest', { size: 40 * MB, numNodes: 1 });
  n1.imageStates.set('gcr.io/300:latest', { size: 300 * MB, numNodes: 1 });
  const n2 = nodeInfo(makeNode('node2'));
  n2.imageStates.set('gcr.io/250:latest', { size: 250 * MB, numNodes: 1 });
  n2.imageStates.set('gcr.io/10:latest', { size: 10 * MB, numNodes: 1 });
  const nodes = [n1, n2];
  const pl = new ImageLocality(fakeContext(nodes));
  const pod = (...images: string[]) => makePod({ containers: images.map((image) => ctr({}, { image })) });
  // 40MB/2 = 20MB < 23MB → 0; 250MB/2 = 125MB → 100 × (125 − 23) / (2000 − 23) = 5
  assert.deepEqual(runScore(pl, pod('gcr.io/40', 'gcr.io/250'), nodes), { node1: 0, node2: 5 });
  // node1 has both: 20MB + 150MB → 100 × (170 − 23) / (2000 − 23) = 7
  assert.deepEqual(runScore(pl, pod('gcr.io/40', 'gcr.io/300'), nodes), { node1: 7, node2: 0 });
  // one container, image on node1: 300MB/2 → 100 × (150 − 23) / (1000 − 23) = 12
  assert.deepEqual(runScore(pl, pod('gcr.io/300'), nodes), { node1: 12, node2: 0 });
});

const ns = 'default';
const pvc = (name: string, spec: Record<string, unknown>, status: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: ns, uid: `uid-${name}` },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
  status,
});
const pv = (name: string, spec: Record<string, unknown>, phase = 'Bound'): KObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name },
  spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], ...spec },
  status: { phase },
});
const hostAffinity = (host: string) => ({
  required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [host] }] }] },
});
const sc = (name: string, mode: string, provisioner = 'kubernetes.io/no-provisioner'): KObject =>
  ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner, volumeBindingMode: mode }) as KObject;
const withClaim = (claimName: string) => makePod({ volumes: [{ name: 'v', persistentVolumeClaim: { claimName } }] });
const nodes = () => ['n1', 'n2'].map((n) => nodeInfo(makeNode(n, { labels: { 'kubernetes.io/hostname': n } })));

function filter(pod: ReturnType<typeof makePod>, data: ListerData) {
  const ns = nodes();
  return Object.fromEntries(runFilter(new VolumeBinding(fakeContext(ns, data)), pod, ns));
}

test('VolumeBinding: pods without claims skip; missing, terminating and unbound immediate claims stop the pod', () => {
  assert.deepEqual(filter(makePod(), {}), { n1: 'fits', n2: 'fits' });
  const missing = unresolvable('persistentvolumeclaim "data" not found');
  assert.deepEqual(filter(withClaim('data'), {}), { n1: missing, n2: missing });
  const immediate = unresolvable(ERR_UNBOUND_IMMEDIATE);
  assert.deepEqual(filter(withClaim('data'), { persistentVolumeClaims: [pvc('data', {})] }), { n1: immediate, n2: immediate });
  const deleting = pvc('data', { volumeName: 'pv1' });
  deleting.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
  const del = unresolvable('persistentvolumeclaim "data" is being deleted');
  assert.deepEqual(filter(withClaim('data'), { persistentVolumeClaims: [deleting] }), { n1: del, n2: del });
});

test('VolumeBinding: a bound claim follows its local PV node affinity; a missing PV is reported', () => {
  const data = { persistentVolumeClaims: [pvc('data', { volumeName: 'pv1' })], persistentVolumes: [pv('pv1', { nodeAffinity: hostAffinity('n1') })] };
  assert.deepEqual(filter(withClaim('data'), data), { n1: 'fits', n2: unresolvable(ERR_REASON_NODE_CONFLICT) });
  const gone = unresolvable(ERR_REASON_PV_NOT_EXIST);
  assert.deepEqual(filter(withClaim('data'), { persistentVolumeClaims: data.persistentVolumeClaims }), { n1: gone, n2: gone });
});

test('VolumeBinding: WaitForFirstConsumer claims need a fitting Available PV or a provisioner', () => {
  const claim = pvc('data', { storageClassName: 'local' });
  const classes = [sc('local', 'WaitForFirstConsumer')];
  const localPV = pv('pv1', { storageClassName: 'local', nodeAffinity: hostAffinity('n2') }, 'Available');
  assert.deepEqual(filter(withClaim('data'), { persistentVolumeClaims: [claim], storageClasses: classes, persistentVolumes: [localPV] }), {
    n1: unresolvable(ERR_REASON_BIND_CONFLICT),
    n2: 'fits',
  });
  const small = pv('pv1', { storageClassName: 'local', capacity: { storage: '100Mi' } }, 'Available');
  const conflict = unresolvable(ERR_REASON_BIND_CONFLICT);
  assert.deepEqual(filter(withClaim('data'), { persistentVolumeClaims: [claim], storageClasses: classes, persistentVolumes: [small] }), { n1: conflict, n2: conflict });
  const dynamic = [sc('local', 'WaitForFirstConsumer', 'example.com/csi')];
  assert.deepEqual(filter(withClaim('data'), { persistentVolumeClaims: [claim], storageClasses: dynamic }), { n1: 'fits', n2: 'fits' });
});
