/** Time, MicroTime, Duration, Quantity, IntOrString, bytes, RawExtension, FieldsV1 and ExtraValue conversions. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import protobuf from 'protobufjs/minimal.js';
import { decodeKubernetesProtobuf, encodeKubernetesProtobuf } from '../../../../main/api/protobuf/index.js';
import {
  formatGoDuration, formatRfc3339, formatRfc3339Micro, parseGoDuration, parseRfc3339,
} from '../../../../main/api/protobuf/special-types.js';

const { Writer } = protobuf;

function roundTrip(obj: Record<string, unknown>): Record<string, unknown> {
  return decodeKubernetesProtobuf(encodeKubernetesProtobuf(obj)).object;
}

test('Time is second-precision RFC3339 in UTC; the zero time is absent', () => {
  assert.equal(formatRfc3339(0), '1970-01-01T00:00:00Z');
  assert.equal(formatRfc3339(1735689600), '2025-01-01T00:00:00Z');
  assert.deepEqual(parseRfc3339('2025-01-01T01:00:00+01:00'), { seconds: 1735689600, nanos: 0 });
  assert.deepEqual(parseRfc3339('2025-01-01T00:00:00.25Z'), { seconds: 1735689600, nanos: 250_000_000 });
  const out = roundTrip({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'p', creationTimestamp: '2024-02-29T23:59:59Z', deletionTimestamp: '2024-03-01T00:00:30Z' },
    status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-03-01T00:00:00Z' }] },
  });
  assert.deepEqual(out.metadata, {
    name: 'p', creationTimestamp: '2024-02-29T23:59:59Z', deletionTimestamp: '2024-03-01T00:00:30Z',
  });
  // lastProbeTime was a zero (non-pointer) Time on the wire: absent, not null.
  assert.deepEqual(out.status, { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-03-01T00:00:00Z' }] });
});

test('sub-second Time precision is dropped like metav1.Time JSON does', () => {
  const out = roundTrip({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', creationTimestamp: '2024-01-01T00:00:00.999Z' } });
  assert.equal((out.metadata as Record<string, unknown>).creationTimestamp, '2024-01-01T00:00:00Z');
});

test('MicroTime keeps six fractional digits', () => {
  assert.equal(formatRfc3339Micro(1735689600, 123_456_789), '2025-01-01T00:00:00.123456Z');
  assert.equal(formatRfc3339Micro(1735689600, 0), '2025-01-01T00:00:00.000000Z');
  const event = {
    apiVersion: 'v1', kind: 'Event', metadata: { name: 'e.1', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'p', namespace: 'default', uid: 'u' }, reason: 'Started', message: 'ok',
    source: { component: 'kubelet', host: 'node-1' }, firstTimestamp: '2025-01-01T00:00:00Z', count: 2, type: 'Normal',
    eventTime: '2025-01-01T00:00:00.500000Z', series: { count: 3, lastObservedTime: '2025-01-01T00:00:01.000001Z' },
    reportingComponent: 'kubelet', reportingInstance: 'node-1',
  };
  assert.deepEqual(roundTrip(event), event);
});

test('Duration formats like Go time.Duration.String()', () => {
  const cases: Array<[bigint, string]> = [
    [0n, '0s'], [1n, '1ns'], [1_500n, '1.5µs'], [300_000_000n, '300ms'], [1_000_000_000n, '1s'],
    [1_500_000_000n, '1.5s'], [60_000_000_000n, '1m0s'], [3_600_000_000_000n, '1h0m0s'],
    [5_445_000_000_000n, '1h30m45s'], [-2_000_000n, '-2ms'], [90_061_000_000_001n, '25h1m1.000000001s'],
  ];
  for (const [ns, text] of cases) {
    assert.equal(formatGoDuration(ns), text);
    assert.equal(parseGoDuration(text), ns, text);
  }
  assert.equal(parseGoDuration('1h30m'), 5_400_000_000_000n);
});

test('Quantity travels as its string; IntOrString as number or string', () => {
  const pdb = {
    apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' },
    spec: { maxUnavailable: '25%', selector: { matchLabels: { a: 'b' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
  };
  assert.deepEqual(roundTrip(pdb), pdb);
  const pdb0 = { ...pdb, spec: { minAvailable: 0 } }; // pointer IntOrString: explicit 0 kept
  assert.deepEqual(roundTrip(pdb0), pdb0);
  const svc = roundTrip({
    apiVersion: 'v1', kind: 'Service', metadata: { name: 's' },
    spec: { ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 0 }] },
  });
  // targetPort is a non-pointer IntOrString: its zero value (int 0) is dropped.
  assert.deepEqual((svc.spec as Record<string, unknown>).ports, [{ port: 80, targetPort: 'http' }, { port: 81 }]);
  const quota = {
    apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' },
    spec: { hard: { cpu: '500m', memory: '1Gi', 'requests.nvidia.com/gpu': '0' } },
  };
  assert.deepEqual(roundTrip(quota), quota); // map values are kept even when "0"
});

test('bytes become base64 (Secret.data, ConfigMap.binaryData, CSR request)', () => {
  const raw = Buffer.from([0, 1, 2, 250, 255]).toString('base64');
  const secret = {
    apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', immutable: false,
    data: { bin: raw, empty: '' }, stringData: { plain: 'text' },
  };
  assert.deepEqual(roundTrip(secret), secret);
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, binaryData: { b: raw } };
  assert.deepEqual(roundTrip(cm), cm);
});

test('RawExtension decodes embedded JSON and embedded Kubernetes protobuf objects', () => {
  const embedded = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inner' }, data: { x: 'y' } };
  const jsonRev = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r' }, data: embedded, revision: 2 };
  assert.deepEqual(roundTrip(jsonRev), jsonRev);

  const inner = encodeKubernetesProtobuf(embedded);
  const rawExt = Writer.create().uint32(10).bytes(inner).finish();
  const meta = Writer.create().uint32(10).string('r').finish();
  const rev = Writer.create().uint32(10).bytes(meta).uint32(18).bytes(rawExt).uint32(24).int64(2).finish();
  const env = Writer.create();
  env.uint32(10).fork().uint32(10).string('apps/v1').uint32(18).string('ControllerRevision').ldelim();
  env.uint32(18).bytes(rev);
  const body = Uint8Array.from([0x6b, 0x38, 0x73, 0x00, ...env.finish()]);
  assert.deepEqual(decodeKubernetesProtobuf(body).object, jsonRev);
});

test('managedFields carry FieldsV1 as parsed JSON', () => {
  const obj = {
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: {
      name: 'c',
      managedFields: [{
        manager: 'kubectl-create', operation: 'Update', apiVersion: 'v1', time: '2025-01-01T00:00:00Z',
        fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { '.': {}, 'f:a': {} } },
      }],
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: 'u', controller: true, blockOwnerDeletion: false }],
    },
    data: { a: 'b' },
  };
  assert.deepEqual(roundTrip(obj), obj);
});

test('ExtraValue maps become maps of string arrays', () => {
  const sar = {
    apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', metadata: {},
    spec: { user: 'jane', groups: ['dev'], extra: { scopes: ['a', 'b'], none: [] }, uid: 'u-1',
      resourceAttributes: { verb: 'list', resource: 'pods', namespace: 'ns' } },
  };
  const out = roundTrip(sar);
  // The empty metadata is a non-pointer struct and disappears; an empty ExtraValue stays an empty list.
  assert.deepEqual(out, { apiVersion: sar.apiVersion, kind: sar.kind, spec: sar.spec });
  const csr = {
    apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'csr1' },
    spec: {
      request: Buffer.from('-----BEGIN CERTIFICATE REQUEST-----').toString('base64'),
      signerName: 'kubernetes.io/kube-apiserver-client', expirationSeconds: 3600, usages: ['client auth'],
      username: 'jane', groups: ['system:authenticated'], extra: { k: ['v'] },
    },
    status: { conditions: [{ type: 'Approved', status: 'True', reason: 'KubectlApprove', message: 'ok', lastUpdateTime: '2025-01-01T00:00:00Z' }] },
  };
  assert.deepEqual(roundTrip(csr), csr);
});
