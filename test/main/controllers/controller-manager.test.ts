/**
 * The controller manager: controllers are built (informers requested), informers synced, then run; unknown names
 * are refused; one recorder per component; stop stops controllers before informers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConfigMap } from '../../../main/api/core/v1/config-map.js';
import { CONFIGMAPS, EVENTS } from '../../../main/client/kube-client.js';
import type { Controller, ControllerContext, ControllerFactory } from '../../../main/controllers/controller.js';
import { workersFor } from '../../../main/controllers/controller-manager-options.js';
import { startControllerTest, waitFor } from './controller-fixture.js';

/** Records, for each ConfigMap added, an event on it; notes what its cache held when run() was called. */
function recordingFactory(trace: string[]): ControllerFactory {
  return {
    name: 'recording',
    create(ctx: ControllerContext): Controller {
      const cms = ctx.informers.informerFor<ConfigMap>(CONFIGMAPS);
      trace.push('created');
      let running = false;
      cms.addHandler({
        onAdd: (cm) => {
          if (running) ctx.recorder('recording-controller').event(cm, 'Normal', 'Seen', `saw ${cm.metadata.name}`);
        },
      });
      return {
        name: 'recording',
        run() {
          running = true;
          trace.push(`run with ${cms.store.size} configmaps cached (synced: ${cms.hasSynced()})`);
        },
        async stop() {
          trace.push('stopped');
        },
      };
    },
  };
}

test('controllers are built, informers synced, then run; they act through the API; stop ends them', async () => {
  const trace: string[] = [];
  const t = await startControllerTest([recordingFactory(trace)]);
  try {
    assert.deepEqual(t.manager.names(), ['recording']);
    assert.equal(trace[0], 'created');
    assert.match(trace[1]!, /^run with \d+ configmaps cached \(synced: true\)$/);
    await t.admin.create(CONFIGMAPS, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1' } });
    const ev = await waitFor('Seen event', async () =>
      (await t.admin.list<any>(EVENTS, 'default')).items.find((e) => e.reason === 'Seen' && e.involvedObject.name === 'c1'));
    assert.equal(ev.source.component, 'recording-controller');
    assert.equal(ev.message, 'saw c1');
  } finally {
    await t.stop();
  }
  assert.equal(trace.at(-1), 'stopped');
});

test('only the listed controllers run; an unknown name is refused', async () => {
  const trace: string[] = [];
  const t = await startControllerTest([recordingFactory(trace)], { controllers: [] });
  try {
    assert.deepEqual(t.manager.names(), []);
    assert.deepEqual(trace, []);
  } finally {
    await t.stop();
  }
  await assert.rejects(startControllerTest([recordingFactory(trace)], { controllers: ['nope'] }), /unknown controllers: nope \(known: recording\)/);
});

test('workersFor: the configured count for a controller, else its default', () => {
  assert.equal(workersFor({}, 'deployment', 5), 5);
  assert.equal(workersFor({ concurrency: { deployment: 2 } }, 'deployment', 5), 2);
  assert.equal(workersFor({ concurrency: { deployment: 0 } }, 'deployment', 5), 5);
});
