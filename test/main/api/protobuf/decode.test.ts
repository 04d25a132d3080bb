/** Envelope handling, error reporting, zero-value/pointer rules, inline flattening and forward compatibility. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import protobuf from 'protobufjs/minimal.js';
import {
  decodeKubernetesProtobuf, encodeKubernetesProtobuf, ProtobufDecodeError,
} from '../../../../main/api/protobuf/index.js';

const { Writer } = protobuf;
const MAGIC = [0x6b, 0x38, 0x73, 0x00];

/** Builds `k8s\0` + Unknown{typeMeta, raw, contentEncoding} around hand-written raw bytes. */
function envelope(apiVersion: string, kind: string, raw: Uint8Array, contentEncoding = ''): Uint8Array {
  const w = Writer.create();
  w.uint32(10).fork().uint32(10).string(apiVersion).uint32(18).string(kind).ldelim();
  w.uint32(18).bytes(raw);
  if (contentEncoding) w.uint32(26).string(contentEncoding);
  return Uint8Array.from([...MAGIC, ...w.finish()]);
}

function decode(obj: Record<string, unknown>): Record<string, unknown> {
  return decodeKubernetesProtobuf(encodeKubernetesProtobuf(obj)).object;
}

test('rejects a body without the k8s magic', () => {
  assert.throws(() => decodeKubernetesProtobuf(Buffer.from('{"kind":"Pod"}')), (err: unknown) => {
    assert.ok(err instanceof ProtobufDecodeError);
    assert.match(err.message, /magic/);
    return true;
  });
  assert.throws(() => decodeKubernetesProtobuf(new Uint8Array(2)), ProtobufDecodeError);
});

test('rejects unknown kinds and group versions with a readable message', () => {
  assert.throws(() => decodeKubernetesProtobuf(envelope('v1', 'Frobnicator', new Uint8Array())),
    /no protobuf layout for kind "Frobnicator" in apiVersion "v1"/);
  assert.throws(() => decodeKubernetesProtobuf(envelope('example.com/v1', 'Widget', new Uint8Array())),
    /kind "Widget" in apiVersion "example.com\/v1"/);
  // Nested types are not top-level kinds.
  assert.throws(() => decodeKubernetesProtobuf(envelope('v1', 'PodSpec', new Uint8Array())), ProtobufDecodeError);
  assert.throws(() => decodeKubernetesProtobuf(envelope('v1', '', new Uint8Array())), /no kind/);
});

test('rejects truncated bodies', () => {
  const body = encodeKubernetesProtobuf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } });
  for (const cut of [5, 12, body.length - 3]) {
    assert.throws(() => decodeKubernetesProtobuf(body.subarray(0, cut)), (err: unknown) => {
      assert.ok(err instanceof ProtobufDecodeError);
      assert.match(err.message, /truncated/);
      return true;
    });
  }
});

test('rejects a content encoding it cannot undo', () => {
  assert.throws(() => decodeKubernetesProtobuf(envelope('v1', 'Namespace', new Uint8Array(), 'gzip')), /content encoding "gzip"/);
});

test('rejects a known field with the wrong wire type', () => {
  const raw = Writer.create().uint32((1 << 3) | 0).int32(5).finish(); // Namespace.metadata as a varint
  assert.throws(() => decodeKubernetesProtobuf(envelope('v1', 'Namespace', raw)), /field metadata \(#1\).*wire type 0, expected 2/);
});

test('skips unknown field numbers of every wire type (forward compatibility)', () => {
  const meta = Writer.create().uint32(10).string('ns1').finish();
  const w = Writer.create();
  w.uint32((900 << 3) | 0).int64(42); // varint
  w.uint32(10).bytes(meta); // metadata
  w.uint32((901 << 3) | 2).string('future'); // length-delimited
  w.uint32((902 << 3) | 1).double(1.5); // fixed64
  w.uint32((903 << 3) | 5).float(2.5); // fixed32
  const unknown: string[] = [];
  const decoded = decodeKubernetesProtobuf(envelope('v1', 'Namespace', w.finish()), {
    onUnknownField: (m, n) => unknown.push(`${m}#${n}`),
  });
  assert.deepEqual(decoded.object, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns1' } });
  assert.deepEqual(unknown, [900, 901, 902, 903].map((n) => `k8s.io.api.core.v1.Namespace#${n}`));
});

test('non-pointer zero values are dropped, pointer zero values are kept', () => {
  const out = decode({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
    spec: {
      replicas: 0, revisionHistoryLimit: 0, progressDeadlineSeconds: 0, minReadySeconds: 0, paused: false,
      template: {
        spec: {
          hostNetwork: false, automountServiceAccountToken: false, terminationGracePeriodSeconds: 0,
          enableServiceLinks: false, dnsPolicy: '', containers: [{ name: 'c', image: 'i', stdin: false, tty: false }],
          securityContext: {},
        },
      },
    },
  });
  assert.deepEqual(out.spec, {
    replicas: 0, revisionHistoryLimit: 0, progressDeadlineSeconds: 0,
    template: {
      spec: {
        automountServiceAccountToken: false, terminationGracePeriodSeconds: 0, enableServiceLinks: false,
        containers: [{ name: 'c', image: 'i' }], securityContext: {},
      },
    },
  });
});

test('empty pointer structs survive (emptyDir: {}), empty value structs and empty lists do not', () => {
  const out = decode({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: {}, finalizers: [] },
    spec: {
      volumes: [{ name: 'scratch', emptyDir: {} }],
      containers: [{ name: 'c', image: 'i', resources: {}, args: [], env: [] }],
    },
    status: {},
  });
  assert.deepEqual(out, {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
    spec: { volumes: [{ name: 'scratch', emptyDir: {} }], containers: [{ name: 'c', image: 'i' }] },
  });
});

test('list items and map values are kept even when they are zero', () => {
  const out = decode({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', annotations: { empty: '' } },
    rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, {}],
  });
  assert.deepEqual(out.rules, [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, {}]);
  assert.deepEqual((out.metadata as Record<string, unknown>).annotations, { empty: '' });
});

test('embedded Go structs are flattened into their parent', () => {
  const pod = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
    spec: {
      containers: [{
        name: 'c', image: 'i',
        env: [
          { name: 'A', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } },
          { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k', optional: true } } },
        ],
        envFrom: [{ configMapRef: { name: 'cm' } }, { prefix: 'S_', secretRef: { name: 's' } }],
        readinessProbe: { exec: { command: ['true'] }, periodSeconds: 5 },
        livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 3 },
      }],
      ephemeralContainers: [{ name: 'debug', image: 'busybox', targetContainerName: 'c', stdin: true }],
      volumes: [
        { name: 'cm', configMap: { name: 'cm', items: [{ key: 'a', path: 'a.txt' }] } },
        { name: 'pj', projected: { sources: [{ secret: { name: 's' } }, { configMap: { name: 'cm', optional: false } }] } },
      ],
    },
  };
  assert.deepEqual(decode(pod), pod);
  const ingress = {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' },
    spec: { rules: [{ host: 'a.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 's', port: { name: 'http' } } } }] } }] },
  };
  assert.deepEqual(decode(ingress), ingress);
});

test('packed repeated scalars are accepted as well as unpacked ones', () => {
  const packed = Writer.create().int64(1000).int64(2000).finish();
  // supplementalGroups (#4) packed, then one more element unpacked: both forms append to the same list.
  const podSecurityContext = Writer.create().uint32((4 << 3) | 2).bytes(packed).uint32((4 << 3) | 0).int64(3000).finish();
  const podSpec = Writer.create().uint32((14 << 3) | 2).bytes(podSecurityContext).finish();
  const pod = Writer.create().uint32((2 << 3) | 2).bytes(podSpec).finish();
  const decoded = decodeKubernetesProtobuf(envelope('v1', 'Pod', pod));
  assert.deepEqual(decoded.object.spec, { securityContext: { supplementalGroups: [1000, 2000, 3000] } });
});

test('DeleteOptions is accepted under any served group version', () => {
  for (const apiVersion of ['v1', 'apps/v1', 'meta.k8s.io/v1']) {
    const out = decode({ apiVersion, kind: 'DeleteOptions', gracePeriodSeconds: 0, propagationPolicy: 'Foreground',
      preconditions: { uid: 'u-1', resourceVersion: '7' }, dryRun: ['All'] });
    assert.deepEqual(out, { apiVersion, kind: 'DeleteOptions', gracePeriodSeconds: 0, propagationPolicy: 'Foreground',
      preconditions: { uid: 'u-1', resourceVersion: '7' }, dryRun: ['All'] });
  }
});
