/** The shared client's watch parsing, through a scripted Transport (no server). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KObject } from '../../../main/api/meta/object.js';
import { CONFIGMAPS, type WatchEvent } from '../../../main/client/kube-client.js';
import { createKubeClient, type Transport, type TransportResponse } from '../../../main/client/transport.js';

/** A transport whose every watch streams `lines` (as one chunk each), then ends. */
function scripted(lines: string[]): Transport {
  return {
    async request(): Promise<TransportResponse> {
      return {
        status: 200,
        headers: {},
        abort: () => undefined,
        body: {
          text: async () => lines.join(''),
          stream: async (onChunk) => {
            for (const l of lines) onChunk(l);
          },
        },
      };
    },
  };
}

async function collect(t: Transport): Promise<WatchEvent<KObject>[]> {
  const events: WatchEvent<KObject>[] = [];
  const h = createKubeClient(t).watch(CONFIGMAPS, 'ns', {}, (e) => events.push(e));
  assert.equal(await h.done, undefined);
  return events;
}

const obj = (name: string, rv: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns', resourceVersion: rv } });

test('watchers receiving the same object text share one parsed object, whatever the event type', async () => {
  const a = await collect(scripted([`{"type":"ADDED","object":${obj('shared-a', '7')}}\n`, `{"type":"MODIFIED","object":${obj('shared-a', '8')}}\n`]));
  const b = await collect(scripted([`{"type":"MODIFIED","object":${obj('shared-a', '7')}}\n`, `{"type":"DELETED","object":${obj('shared-a', '8')}}\n`]));
  assert.deepEqual(a.map((e) => `${e.type} ${e.object.metadata.resourceVersion}`), ['ADDED 7', 'MODIFIED 8']);
  assert.deepEqual(b.map((e) => `${e.type} ${e.object.metadata.resourceVersion}`), ['MODIFIED 7', 'DELETED 8']);
  assert.equal(a[0]!.object, b[0]!.object);
  assert.equal(a[1]!.object, b[1]!.object);
});

test('lines in other shapes still parse as JSON: member order, extra members, whitespace, split chunks', async () => {
  const events = await collect(scripted([
    `{"object":${obj('x', '1')},"type":"ADDED"}\n`,
    `{"type":"MODIFIED","object":${obj('x', '2')},"extra":{"a":1}}\r\n`,
    `{ "type" : "MODIFIED", "object" : ${obj('x', '3')} }  \n{"type":"BOOKMARK","obj`,
    `ect":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"4"}}}\n`,
  ]));
  assert.deepEqual(events.map((e) => `${e.type} ${e.object.metadata.resourceVersion}`), ['ADDED 1', 'MODIFIED 2', 'MODIFIED 3', 'BOOKMARK 4']);
});

test('an ERROR event ends the watch with its Status', async () => {
  const h = createKubeClient(scripted([`{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old"}}\n`]))
    .watch(CONFIGMAPS, 'ns', {}, () => assert.fail('no event expected'));
  const err = await h.done;
  assert.equal(err?.code, 410);
  assert.equal(err?.reason, 'Expired');
});
