import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventFromCore, eventToCore, events, type EventV1 } from '../../../../../main/api/events.k8s.io/v1/event.js';
import { errorLine } from '../../../../../main/api/meta/field-errors.js';

const v1: EventV1 = {
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name: 'e', namespace: 'default' },
  eventTime: '2026-01-01T00:00:00.000000Z',
  series: { count: 2, lastObservedTime: '2026-01-01T00:10:00.000000Z' },
  reportingController: 'kubelet',
  reportingInstance: 'node-1',
  action: 'Pull',
  reason: 'Pulled',
  regarding: { kind: 'Pod', name: 'p', namespace: 'default', fieldPath: 'spec.containers{c}' },
  related: { kind: 'Node', name: 'node-1' },
  note: 'pulled image',
  type: 'Normal',
};

test('events.k8s.io/v1 maps onto core/v1 field names and back', () => {
  const core = eventToCore(v1);
  assert.equal(core.apiVersion, 'v1');
  assert.deepEqual(core.involvedObject, v1.regarding);
  assert.equal(core.message, 'pulled image');
  assert.equal(core.reportingComponent, 'kubelet');
  assert.equal(core.reportingInstance, 'node-1');
  assert.deepEqual(core.series, v1.series);
  assert.equal(core.source, undefined);
  assert.deepEqual(eventFromCore(core), v1);
});

test('core events written by old clients surface their deprecated fields', () => {
  const e = eventFromCore({
    apiVersion: 'v1', kind: 'Event', metadata: { name: 'old', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'p' }, reason: 'BackOff', message: 'm', source: { component: 'kubelet', host: 'n1' },
    firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:20:00Z', count: 5, type: 'Warning',
  });
  assert.deepEqual(e.deprecatedSource, { component: 'kubelet', host: 'n1' });
  assert.equal(e.deprecatedCount, 5);
  assert.equal(e.deprecatedFirstTimestamp, '2026-01-01T00:00:00Z');
  assert.equal(e.eventTime, null);
  const now = Date.parse('2026-01-01T01:00:00Z');
  const cells = events.columns!.map((c) => c.cell(e, now));
  assert.deepEqual(cells, ['40m', 'Warning', 'BackOff', 'pod/p', '', 'kubelet, n1', 'm', '60m', 5, 'old']);
});

test('updates may not change what the event is about', () => {
  const changed = { ...v1, reason: 'Other', note: 'x' };
  assert.deepEqual(events.strategy!.validateUpdate!(changed, v1).map(errorLine).sort(), [
    'note: Invalid value: "x": field is immutable',
    'reason: Invalid value: "Other": field is immutable',
  ]);
});
