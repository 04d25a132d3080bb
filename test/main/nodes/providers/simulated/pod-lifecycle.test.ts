/** The simulated kubelet's pod state machine and the statuses it renders, driven by explicit times. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../../../../../main/api/core/v1/pod-types.js';
import { advance, newPodRun } from '../../../../../main/nodes/providers/simulated/pod-lifecycle.js';
import { adoptPodRun } from '../../../../../main/nodes/providers/simulated/pod-adopt.js';
import { backoffSeconds, runSeconds, sleepSeconds, terminationSeconds } from '../../../../../main/nodes/providers/simulated/pod-plan.js';
import { imageId, normalizeImage, podStatus } from '../../../../../main/nodes/providers/simulated/pod-status.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const s = (sec: number) => T0 + sec * 1000;

function pod(spec: Partial<Pod['spec']> = {}, annotations?: Record<string, string>, owner?: string): Pod {
  return {
    metadata: {
      name: 'p', namespace: 'ns', uid: 'uid-1',
      ...(annotations ? { annotations } : {}),
      ...(owner ? { ownerReferences: [{ apiVersion: 'batch/v1', kind: owner, name: 'j', uid: 'j1' }] } : {}),
    },
    spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec },
  } as Pod;
}

const net = { hostIP: '172.18.0.2', podIP: '10.244.0.2' };
const states = (st: ReturnType<typeof podStatus>) => (st.containerStatuses ?? []).map((c) => Object.keys(c.state ?? {})[0] + ':' + (c.state?.waiting?.reason ?? c.state?.terminated?.reason ?? ''));

test('run plan: annotation, sleep in command/args, Job default, forever', () => {
  assert.equal(runSeconds(pod({}, { 'pilothouse.dev/run-seconds': '2.5' }), { name: 'a' }), 2.5);
  assert.equal(sleepSeconds({ name: 'a', command: ['sleep', '30'] }), 30);
  assert.equal(sleepSeconds({ name: 'a', command: ['sh', '-c'], args: ['echo hi; sleep 5s'] }), 5);
  assert.equal(sleepSeconds({ name: 'a', command: ['sleep', 'infinity'] }), undefined);
  assert.equal(runSeconds(pod({}, undefined, 'Job'), { name: 'a' }), 1);
  assert.equal(runSeconds(pod(), { name: 'a' }), undefined);
  assert.deepEqual([0, 1, 2, 3, 10].map(backoffSeconds), [0, 10, 20, 40, 300]);
  assert.equal(terminationSeconds(pod({ terminationGracePeriodSeconds: 30 })), 1);
  assert.equal(terminationSeconds(pod({ terminationGracePeriodSeconds: 0 })), 0);
  assert.equal(terminationSeconds(pod({ terminationGracePeriodSeconds: 30 }, { 'pilothouse.dev/termination-seconds': '5' })), 5);
});

test('ContainerCreating until podStartSeconds, then Running with all conditions True', () => {
  const p = pod();
  const run = newPodRun(p, s(0), 1);
  let a = advance(run, p, s(0));
  assert.equal(a.nextAt, s(1));
  let st = podStatus(run, p, { hostIP: net.hostIP }, s(0));
  assert.equal(st.phase, 'Pending');
  assert.deepEqual(states(st), ['waiting:ContainerCreating']);
  assert.equal(st.podIP, undefined);
  assert.deepEqual(st.conditions?.map((c) => [c.type, c.status, c.reason ?? '']), [
    ['PodReadyToStartContainers', 'False', ''],
    ['Initialized', 'True', ''],
    ['Ready', 'False', 'ContainersNotReady'],
    ['ContainersReady', 'False', 'ContainersNotReady'],
    ['PodScheduled', 'True', ''],
  ]);
  assert.equal(st.conditions?.[2]?.message, 'containers with unready status: [app]');
  a = advance(run, p, s(1.2));
  assert.equal(a.changed, true);
  assert.equal(a.nextAt, undefined, 'runs forever');
  assert.deepEqual(a.events.map((e) => e.reason), ['Pulled', 'Created', 'Started']);
  st = podStatus(run, p, net, s(1.2), st.conditions);
  assert.equal(st.phase, 'Running');
  assert.equal(st.podIP, '10.244.0.2');
  assert.deepEqual(st.hostIPs, [{ ip: '172.18.0.2' }]);
  assert.equal(st.startTime, '2026-01-01T00:00:00Z');
  assert.equal(st.containerStatuses?.[0]?.state?.running?.startedAt, '2026-01-01T00:00:01Z');
  assert.ok(st.conditions?.every((c) => c.status === 'True'));
  assert.equal(st.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime, '2026-01-01T00:00:01Z');
});

test('init containers run one after another before the app (PodInitializing)', () => {
  const p = pod({ initContainers: [{ name: 'i1', image: 'busybox' }, { name: 'i2', image: 'busybox' }] });
  const run = newPodRun(p, s(0), 0);
  advance(run, p, s(0));
  let st = podStatus(run, p, net, s(0));
  assert.equal(st.phase, 'Pending');
  assert.deepEqual(st.initContainerStatuses?.map((c) => Object.keys(c.state!)[0]), ['running', 'waiting']);
  assert.deepEqual(states(st), ['waiting:PodInitializing']);
  assert.equal(st.conditions?.find((c) => c.type === 'Initialized')?.message, 'containers with incomplete status: [i1 i2]');
  advance(run, p, s(0.5));
  st = podStatus(run, p, net, s(0.5));
  assert.deepEqual(st.initContainerStatuses?.map((c) => Object.keys(c.state!)[0]), ['terminated', 'running']);
  advance(run, p, s(1));
  st = podStatus(run, p, net, s(1));
  assert.equal(st.phase, 'Running');
  assert.deepEqual(st.initContainerStatuses?.map((c) => c.state?.terminated?.reason), ['Completed', 'Completed']);
  assert.deepEqual(states(st), ['running:']);
});

test('restartPolicy Never: Succeeded with Completed, or Failed with Error and the exit code', () => {
  for (const [code, phase, reason] of [['0', 'Succeeded', 'Completed'], ['2', 'Failed', 'Error']] as const) {
    const p = pod({ restartPolicy: 'Never' }, { 'pilothouse.dev/run-seconds': '3', 'pilothouse.dev/exit-code': code });
    const run = newPodRun(p, s(0), 1);
    assert.equal(advance(run, p, s(1)).nextAt, s(4));
    advance(run, p, s(10));
    const st = podStatus(run, p, net, s(10));
    assert.equal(st.phase, phase);
    const t = st.containerStatuses?.[0]?.state?.terminated;
    assert.deepEqual([t?.reason, t?.exitCode, t?.startedAt, t?.finishedAt], [reason, Number(code), '2026-01-01T00:00:01Z', '2026-01-01T00:00:04Z']);
    assert.equal(st.containerStatuses?.[0]?.ready, false);
    assert.deepEqual(st.conditions?.slice(0, 4).map((c) => [c.type, c.status, c.reason ?? '']), [
      ['PodReadyToStartContainers', 'False', ''],
      ['Initialized', 'True', ''],
      ['Ready', 'False', 'PodCompleted'],
      ['ContainersReady', 'False', 'PodCompleted'],
    ]);
  }
});

test('OnFailure restarts a failing container; Always restarts with CrashLoopBackOff', () => {
  const p = pod({ restartPolicy: 'Always' }, { 'pilothouse.dev/run-seconds': '1', 'pilothouse.dev/exit-code': '1' });
  const run = newPodRun(p, s(0), 0);
  advance(run, p, s(0));
  advance(run, p, s(1)); // exits, first restart is immediate
  let c = run.containers[0]!;
  assert.deepEqual([c.state, c.restartCount], ['running', 1]);
  const a = advance(run, p, s(2)); // exits again: back-off 10s
  assert.deepEqual([c.state, c.reason, c.restartCount, a.nextAt], ['waiting', 'CrashLoopBackOff', 2, s(12)]);
  assert.ok(a.events.some((e) => e.reason === 'BackOff' && e.type === 'Warning'));
  const st = podStatus(run, p, net, s(2));
  assert.equal(st.phase, 'Running');
  assert.equal(st.containerStatuses?.[0]?.state?.waiting?.message, 'back-off 10s restarting failed container=app pod=p_ns(uid-1)');
  assert.equal(st.containerStatuses?.[0]?.lastState?.terminated?.exitCode, 1);
  advance(run, p, s(12));
  c = run.containers[0]!;
  assert.deepEqual([c.state, c.restartCount], ['running', 2]);

  const q = pod({ restartPolicy: 'OnFailure' }, { 'pilothouse.dev/run-seconds': '1' });
  const ok = newPodRun(q, s(0), 0);
  advance(ok, q, s(5));
  assert.equal(ok.phase, 'Succeeded', 'OnFailure with exit 0 finishes');
});

test('a Running pod is adopted after a restart with its start times; run-seconds still count from them', () => {
  const p = pod({ restartPolicy: 'Never' }, { 'pilothouse.dev/run-seconds': '10' });
  const run = newPodRun(p, s(0), 1);
  advance(run, p, s(2));
  const withStatus = { ...p, status: podStatus(run, p, net, s(2)) } as Pod;
  const adopted = adoptPodRun(withStatus, s(5), 1);
  assert.equal(adopted.phase, 'Running');
  assert.equal(adopted.containers[0]!.startedAt, s(1));
  assert.equal(advance(adopted, withStatus, s(5)).nextAt, s(11));
  advance(adopted, withStatus, s(11));
  assert.equal(adopted.phase, 'Succeeded');
});

test('image names and IDs as a container runtime reports them', () => {
  assert.equal(normalizeImage('nginx'), 'docker.io/library/nginx:latest');
  assert.equal(normalizeImage('nginx:1.27'), 'docker.io/library/nginx:1.27');
  assert.equal(normalizeImage('bitnami/redis'), 'docker.io/bitnami/redis:latest');
  assert.equal(normalizeImage('registry.k8s.io/pause:3.10'), 'registry.k8s.io/pause:3.10');
  assert.equal(normalizeImage('localhost:5000/app'), 'localhost:5000/app:latest');
  assert.match(imageId('nginx:1.27'), /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
  assert.equal(imageId('nginx:1.27'), imageId('nginx:1.27'));
});
