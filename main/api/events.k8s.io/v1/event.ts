/**
 * events.k8s.io/v1 Event, stored as core/v1 Event (one storage, two API shapes). The conversion follows
 * upstream's field mapping: regarding⇄involvedObject, note⇄message, deprecatedSource⇄source,
 * deprecatedFirstTimestamp/LastTimestamp/Count⇄firstTimestamp/lastTimestamp/count; everything else keeps its name.
 */
import { defineResource } from '../../resource.js';
import type { KObject } from '../../meta/object.js';
import { FieldPath, immutable, invalid, required, type FieldError } from '../../meta/field-errors.js';
import { isQualifiedName } from '../../meta/name-validation.js';
import { MicroTime, Time, objectMeta, typeMeta } from '../../meta/schemas.js';
import { def, int32, ref, str } from '../../schema/builder.js';
import { ObjectReference, referenceFieldSelectors, type ObjectReference as ObjectReferenceT } from '../../core/v1/object-reference.js';
import { eventColumns } from '../../core/v1/event.js';

export const EventSeries = def('io.k8s.api.events.v1.EventSeries', 'Data about a series of repeated occurrences of an event.', {
  count: int32('Occurrences observed so far.', { default: 0 }),
  lastObservedTime: ref(MicroTime, 'Time of the last occurrence.'),
}, { required: ['count', 'lastObservedTime'] });

export const EventSource = def('io.k8s.api.core.v1.EventSource', 'The component (and host) that reported an event.', {
  component: str('Component that generated the event.'),
  host: str('Node the event was generated on.'),
});

export const EventSchema = def('io.k8s.api.events.v1.Event', 'A report of something that happened in the cluster, about a regarding object.', {
  ...typeMeta(),
  metadata: objectMeta(),
  eventTime: ref(MicroTime, 'When the event was first observed. Required.'),
  series: ref(EventSeries, 'Data about the series this event represents, if it repeats.'),
  reportingController: str('Controller that emitted the event, e.g. "kubernetes.io/kubelet". Required for new events.'),
  reportingInstance: str('Instance of the controller, e.g. "kubelet-xyzf". Required for new events.'),
  action: str('What was done (or failed) with regarding, in CamelCase. Required for new events.'),
  reason: str('Why the action was taken, in CamelCase. Required for new events.'),
  regarding: ref(ObjectReference, 'The object this event is about.', { default: {} }),
  related: ref(ObjectReference, 'A secondary object involved, if any.'),
  note: str('Human-readable description, at most 1kB.'),
  type: str('"Normal" or "Warning".'),
  deprecatedSource: ref(EventSource, 'core/v1 source, kept for compatibility.', { default: {} }),
  deprecatedFirstTimestamp: ref(Time, 'core/v1 firstTimestamp, kept for compatibility.'),
  deprecatedLastTimestamp: ref(Time, 'core/v1 lastTimestamp, kept for compatibility.'),
  deprecatedCount: int32('core/v1 count, kept for compatibility.'),
}, { required: ['eventTime'], gvk: [{ group: 'events.k8s.io', version: 'v1', kind: 'Event' }] });

interface SourceT { component?: string; host?: string }
interface SeriesT { count?: number; lastObservedTime?: string }

export interface EventV1 extends KObject {
  eventTime?: string | null;
  series?: SeriesT;
  reportingController?: string;
  reportingInstance?: string;
  action?: string;
  reason?: string;
  regarding?: ObjectReferenceT;
  related?: ObjectReferenceT;
  note?: string;
  type?: string;
  deprecatedSource?: SourceT;
  deprecatedFirstTimestamp?: string | null;
  deprecatedLastTimestamp?: string | null;
  deprecatedCount?: number;
}

/** Structural view of a core/v1 Event (the storage shape); written against upstream, not the core descriptor. */
export interface CoreEvent extends KObject {
  involvedObject?: ObjectReferenceT;
  reason?: string;
  message?: string;
  source?: SourceT;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  count?: number;
  type?: string;
  eventTime?: string | null;
  series?: SeriesT;
  action?: string;
  related?: ObjectReferenceT;
  reportingComponent?: string;
  reportingInstance?: string;
}

function setIf<T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined | null | ''): void {
  if (v !== undefined && v !== null && v !== '') o[k] = v as T[K];
}

function sourceOrUndefined(s: SourceT | undefined): SourceT | undefined {
  if (!s || (!s.component && !s.host)) return undefined;
  return { ...s };
}

export function eventToCore(e: EventV1): CoreEvent {
  const out: CoreEvent = { apiVersion: 'v1', kind: 'Event', metadata: e.metadata, involvedObject: e.regarding ?? {} };
  setIf(out, 'reason', e.reason);
  setIf(out, 'message', e.note);
  setIf(out, 'source', sourceOrUndefined(e.deprecatedSource));
  setIf(out, 'firstTimestamp', e.deprecatedFirstTimestamp);
  setIf(out, 'lastTimestamp', e.deprecatedLastTimestamp);
  if (e.deprecatedCount) out.count = e.deprecatedCount;
  setIf(out, 'type', e.type);
  setIf(out, 'eventTime', e.eventTime);
  if (e.series) out.series = { ...e.series };
  setIf(out, 'action', e.action);
  if (e.related) out.related = e.related;
  setIf(out, 'reportingComponent', e.reportingController);
  setIf(out, 'reportingInstance', e.reportingInstance);
  return out;
}

export function eventFromCore(c: CoreEvent): EventV1 {
  const out: EventV1 = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: c.metadata, eventTime: c.eventTime ?? null };
  if (c.series) out.series = { ...c.series };
  setIf(out, 'reportingController', c.reportingComponent);
  setIf(out, 'reportingInstance', c.reportingInstance);
  setIf(out, 'action', c.action);
  setIf(out, 'reason', c.reason);
  out.regarding = c.involvedObject ?? {};
  if (c.related) out.related = c.related;
  setIf(out, 'note', c.message);
  setIf(out, 'type', c.type);
  const src = sourceOrUndefined(c.source);
  if (src) out.deprecatedSource = src;
  setIf(out, 'deprecatedFirstTimestamp', c.firstTimestamp);
  setIf(out, 'deprecatedLastTimestamp', c.lastTimestamp);
  if (c.count) out.deprecatedCount = c.count;
  return out;
}

const LIMIT_128 = 128;
const NOTE_LIMIT = 1024;

/** ValidateEventCreate for requests in events.k8s.io/v1. */
export function validateEventV1(e: EventV1): FieldError[] {
  const errs: FieldError[] = [];
  const root = (n: string) => FieldPath.root(n);
  if (e.series) {
    if ((e.series.count ?? 0) < 2) errs.push(invalid(root('series').child('count'), '', 'should be at least 2'));
    if (!e.series.lastObservedTime) errs.push(required(root('series').child('lastObservedTime'), ''));
  }
  if (!e.eventTime) errs.push(required(root('eventTime'), ''));
  if (e.type !== 'Normal' && e.type !== 'Warning') errs.push(invalid(root('type'), '', `has invalid value: ${e.type ?? ''}`));
  if (e.deprecatedFirstTimestamp) errs.push(invalid(root('deprecatedFirstTimestamp'), '', 'needs to be unset'));
  if (e.deprecatedLastTimestamp) errs.push(invalid(root('deprecatedLastTimestamp'), '', 'needs to be unset'));
  if (e.deprecatedCount) errs.push(invalid(root('deprecatedCount'), '', 'needs to be unset'));
  if (e.deprecatedSource?.component || e.deprecatedSource?.host)
    errs.push(invalid(root('deprecatedSource'), '', 'needs to be unset'));
  const rc = e.reportingController ?? '';
  if (!rc) errs.push(required(root('reportingController'), ''));
  for (const m of isQualifiedName(rc)) errs.push(invalid(root('reportingController'), rc, m));
  const ri = e.reportingInstance ?? '';
  if (!ri) errs.push(required(root('reportingInstance'), ''));
  if (ri.length > LIMIT_128) errs.push(invalid(root('reportingInstance'), '', `can have at most ${LIMIT_128} characters`));
  const action = e.action ?? '';
  if (!action) errs.push(required(root('action'), ''));
  if (action.length > LIMIT_128) errs.push(invalid(root('action'), '', `can have at most ${LIMIT_128} characters`));
  const reason = e.reason ?? '';
  if (!reason) errs.push(required(root('reason'), ''));
  if (reason.length > LIMIT_128) errs.push(invalid(root('reason'), '', `can have at most ${LIMIT_128} characters`));
  if ((e.note ?? '').length > NOTE_LIMIT) errs.push(invalid(root('note'), '', `can have at most ${NOTE_LIMIT} characters`));
  return errs;
}

/** ValidateEventUpdate (events.k8s.io/v1): identity-like fields never change after creation. */
export function validateEventV1Update(e: EventV1, old: EventV1): FieldError[] {
  const errs: FieldError[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  const fields: (keyof EventV1)[] = ['regarding', 'reason', 'note', 'reportingController', 'reportingInstance', 'action', 'type', 'eventTime', 'related'];
  for (const f of fields) if (!same(e[f], old[f])) errs.push(immutable(FieldPath.root(String(f)), e[f]));
  if (e.series && (e.series.count ?? 0) < 2) errs.push(invalid(FieldPath.root('series').child('count'), '', 'should be at least 2'));
  return errs;
}

export const events = defineResource<EventV1>({
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  shortNames: ['ev'],
  namespaced: true,
  schema: EventSchema,
  strategy: { validate: validateEventV1, validateUpdate: validateEventV1Update },
  storage: {
    resource: 'events',
    toStorage: (e) => eventToCore(e),
    fromStorage: (stored) => eventFromCore(stored as CoreEvent),
  },
  fieldSelectors: {
    ...referenceFieldSelectors<EventV1>('regarding', (e) => e.regarding),
    reason: (e) => e.reason ?? '',
    reportingController: (e) => e.reportingController ?? '',
    deprecatedSource: (e) => e.deprecatedSource?.component ?? '',
    type: (e) => e.type ?? '',
  },
  // Shared storage with core/v1 Events: the Table is printed from the core view, as upstream does.
  columns: eventColumns.map((c) => ({ ...c, cell: (e: EventV1, now: number) => c.cell(eventToCore(e) as never, now) })),
});
