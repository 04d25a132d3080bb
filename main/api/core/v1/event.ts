/**
 * core/v1 Event: a report of something that happened to an object (`kubectl describe` and
 * `kubectl get events`). This is the storage form; events.k8s.io/v1 Events map onto it.
 * Validation is upstream's legacy event validation, which is all core/v1 requests get.
 */
import { FieldPath, invalid, required, type FieldError } from '../../meta/field-errors.js';
import { isDNS1123Subdomain, isQualifiedName } from '../../meta/name-validation.js';
import type { KObject } from '../../meta/object.js';
import { MicroTime, objectMeta, Time, typeMeta } from '../../meta/schemas.js';
import { defineResource, type Column } from '../../resource.js';
import { def, int32, ref, str } from '../../schema/builder.js';
import { age } from '../../table/human-duration.js';
import { col } from '../../table/columns.js';
import { ObjectReference, referenceFieldSelectors } from './object-reference.js';

export interface CoreEvent extends KObject {
  involvedObject?: ObjectReference;
  reason?: string;
  message?: string;
  source?: { component?: string; host?: string };
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  count?: number;
  type?: string;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
  action?: string;
  related?: ObjectReference;
  reportingComponent?: string;
  reportingInstance?: string;
}

const REPORTING_INSTANCE_MAX = 128;
const ACTION_MAX = 128;
const REASON_MAX = 128;
const NOTE_MAX = 1024;

export const EventSource = def('io.k8s.api.core.v1.EventSource', 'The component that reported an event.', {
  component: str('Component that generated the event.'),
  host: str('Node name on which the event was generated.'),
});

export const EventSeries = def(
  'io.k8s.api.core.v1.EventSeries',
  'Data about a series of identical events observed repeatedly.',
  {
    count: int32('Number of occurrences in the series so far.'),
    lastObservedTime: ref(MicroTime, 'When the last occurrence was observed.'),
  },
);

export const EventSchema = def(
  'io.k8s.api.core.v1.Event',
  'A report of an event somewhere in the cluster; events are retained only for a limited time.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    involvedObject: ref(ObjectReference, 'The object this event is about.', { default: {} }),
    reason: str('Short CamelCase, machine-readable reason for the transition into the object\'s current state.'),
    message: str('Human-readable description of the event.'),
    source: ref(EventSource, 'Component reporting the event; use reportingComponent in new code.', { default: {} }),
    firstTimestamp: ref(Time, 'When the event was first recorded.'),
    lastTimestamp: ref(Time, 'When the most recent occurrence was recorded.'),
    count: int32('How many times the event has occurred.'),
    type: str('Event type: Normal or Warning (more may be added).'),
    eventTime: ref(MicroTime, 'When the event was first observed, with microsecond precision.'),
    series: ref(EventSeries, 'Data about the series this event represents, if any.'),
    action: str('What action was taken or failed regarding the involved object.'),
    related: ref(ObjectReference, 'Secondary object for more complex actions.'),
    reportingComponent: str('Controller that emitted the event, e.g. kubernetes.io/kubelet.', { default: '' }),
    reportingInstance: str('ID of the controller instance, e.g. kubelet-xyzf.', { default: '' }),
  },
  { required: ['metadata', 'involvedObject'], gvk: [{ group: '', version: 'v1', kind: 'Event' }] },
);

/** Upstream legacyValidateEvent with the core/v1 field names. */
export function validateEvent(ev: CoreEvent): FieldError[] {
  const errs: FieldError[] = [];
  const ns = ev.metadata.namespace ?? '';
  const involvedNs = ev.involvedObject?.namespace ?? '';
  const nsPath = FieldPath.root('involvedObject').child('namespace');
  if (!ev.eventTime) {
    // Old-style events: the event lives in the namespace of the object it is about.
    if (!involvedNs) {
      if (ns !== '' && ns !== 'default') errs.push(invalid(nsPath, involvedNs, 'does not match event.namespace'));
    } else if (ns !== involvedNs) {
      errs.push(invalid(nsPath, involvedNs, 'does not match event.namespace'));
    }
  } else {
    if (!involvedNs && ns !== 'default' && ns !== 'kube-system')
      errs.push(invalid(nsPath, involvedNs, 'does not match event.namespace'));
    const rc = ev.reportingComponent ?? '';
    if (!rc) errs.push(required('reportingComponent', ''));
    for (const m of isQualifiedName(rc)) errs.push(invalid('reportingComponent', rc, m));
    const ri = ev.reportingInstance ?? '';
    if (!ri) errs.push(required('reportingInstance', ''));
    if (ri.length > REPORTING_INSTANCE_MAX)
      errs.push(invalid('reportingInstance', '', `can have at most ${REPORTING_INSTANCE_MAX} characters`));
    const action = ev.action ?? '';
    if (!action) errs.push(required('action', ''));
    if (action.length > ACTION_MAX) errs.push(invalid('action', '', `can have at most ${ACTION_MAX} characters`));
    const reason = ev.reason ?? '';
    if (!reason) errs.push(required('reason', ''));
    if (reason.length > REASON_MAX) errs.push(invalid('reason', '', `can have at most ${REASON_MAX} characters`));
    if ((ev.message ?? '').length > NOTE_MAX) errs.push(invalid('message', '', `can have at most ${NOTE_MAX} characters`));
  }
  for (const m of isDNS1123Subdomain(ns)) errs.push(invalid('namespace', ns, m));
  return errs;
}

/** SOURCE column: component (or reportingComponent), then ", host" (or reportingInstance) when known. */
export function eventSource(ev: CoreEvent): string {
  const component = ev.source?.component || ev.reportingComponent || '';
  const instance = ev.source?.host || ev.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

function firstSeen(ev: CoreEvent, now: number): string {
  return ev.firstTimestamp ? age(ev.firstTimestamp, now) : age(ev.eventTime, now);
}

function lastSeen(ev: CoreEvent, now: number): string {
  if (ev.series) return age(ev.series.lastObservedTime, now);
  return ev.lastTimestamp ? age(ev.lastTimestamp, now) : firstSeen(ev, now);
}

function eventCount(ev: CoreEvent): number {
  if (ev.series) return ev.series.count ?? 0;
  return ev.count ? ev.count : 1; // singleton events of the new API carry no count
}

function eventObject(ev: CoreEvent): string {
  const kind = (ev.involvedObject?.kind ?? '').toLowerCase();
  const name = ev.involvedObject?.name ?? '';
  return name ? `${kind}/${name}` : kind;
}

/** printEvent's columns; events.k8s.io/v1 Events print the same (they share storage). */
export const eventColumns: Column<CoreEvent>[] = [
    col<CoreEvent>('Last Seen', lastSeen, { description: 'Time of the most recent occurrence.' }),
    col<CoreEvent>('Type', (e) => e.type ?? '', { description: 'Type of the event: Normal or Warning.' }),
    col<CoreEvent>('Reason', (e) => e.reason ?? '', { description: 'Machine-readable reason for the event.' }),
    col<CoreEvent>('Object', eventObject, { description: 'The object this event is about.' }),
    col<CoreEvent>('Subobject', (e) => e.involvedObject?.fieldPath ?? '', {
      priority: 1,
      description: 'The part of the object the event is about, e.g. a container.',
    }),
    col<CoreEvent>('Source', eventSource, { priority: 1, description: 'The component reporting the event.' }),
    col<CoreEvent>('Message', (e) => (e.message ?? '').trim(), { description: 'Human-readable description of the event.' }),
    col<CoreEvent>('First Seen', firstSeen, { priority: 1, description: 'Time of the first occurrence.' }),
    col<CoreEvent>('Count', eventCount, { priority: 1, description: 'How many times the event has occurred.' }),
    col<CoreEvent>('Name', (e) => e.metadata.name ?? '', {
      priority: 1,
      format: 'name',
      description: 'Name must be unique within a namespace. Cannot be updated.',
    }),
  ];

export const events = defineResource<CoreEvent>({
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  shortNames: ['ev'],
  namespaced: true,
  schema: EventSchema,
  strategy: {
    validate: validateEvent,
    validateUpdate: (ev) => validateEvent(ev),
  },
  fieldSelectors: {
    ...referenceFieldSelectors<CoreEvent>('involvedObject', (e) => e.involvedObject),
    reason: (e) => e.reason ?? '',
    reportingComponent: (e) => e.reportingComponent ?? '',
    source: (e) => e.source?.component || e.reportingComponent || '',
    type: (e) => e.type ?? '',
  },
  columns: eventColumns,
});
