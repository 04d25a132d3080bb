/**
 * Schemas shared by every group: object metadata, list metadata, label selectors, quantities, conditions.
 * Names follow upstream's OpenAPI component names so `kubectl explain` output reads the same.
 */
import { arr, bool, def, defScalar, int64, map, ref, str, stringMap } from '../schema/builder.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

export const Time = defScalar(`${META}.Time`, {
  type: 'string',
  format: 'date-time',
  description: 'A timestamp in RFC 3339 form, precise to the second (e.g. "2026-11-21T16:28:55Z").',
});

export const MicroTime = defScalar(`${META}.MicroTime`, {
  type: 'string',
  format: 'date-time',
  description: 'A timestamp in RFC 3339 form with microsecond precision.',
});

export const Quantity = defScalar('io.k8s.apimachinery.pkg.api.resource.Quantity', {
  description:
    'A fixed-point amount such as "100m" (CPU), "128Mi" (memory) or "2". Suffixes: decimal SI (m, k, M, G, T, P, E), ' +
    'binary SI (Ki, Mi, Gi, Ti, Pi, Ei) or a decimal exponent (e.g. 1e3). Serialized as a string in canonical form.',
  type: 'string',
  'x-kubernetes-int-or-string': true,
});

export const IntOrString = defScalar('io.k8s.apimachinery.pkg.util.intstr.IntOrString', {
  description: 'A value that is either an integer or a string, e.g. a port number or a port name, or "25%".',
  type: 'string',
  format: 'int-or-string',
  'x-kubernetes-int-or-string': true,
});

export const Duration = defScalar(`${META}.Duration`, {
  description: 'A length of time written as a Go duration string, e.g. "1h0m0s".',
  type: 'string',
});

export const RawExtension = defScalar('io.k8s.apimachinery.pkg.runtime.RawExtension', {
  description: 'An embedded object of any kind, kept as given.',
  type: 'object',
  'x-kubernetes-preserve-unknown-fields': true,
});

export const FieldsV1 = defScalar(`${META}.FieldsV1`, {
  description: 'The set of fields a manager owns, as a trie of "f:<name>", "k:<key>", "v:<value>" and "i:<index>" entries.',
  type: 'object',
});

export const OwnerReference = def(
  `${META}.OwnerReference`,
  'Identifies an object that owns this one. The garbage collector deletes an object once all its owners are gone.',
  {
    apiVersion: str('API version of the owner.', { default: '' }),
    kind: str('Kind of the owner.', { default: '' }),
    name: str('Name of the owner.', { default: '' }),
    uid: str('UID of the owner.', { default: '' }),
    controller: bool('True if the owner is the managing controller. At most one owner may be the controller.'),
    blockOwnerDeletion: bool(
      'If true and the owner carries the "foregroundDeletion" finalizer, the owner cannot be removed until this object is.',
    ),
  },
  { required: ['apiVersion', 'kind', 'name', 'uid'], extra: { 'x-kubernetes-map-type': 'atomic' } },
);

export const ManagedFieldsEntry = def(
  `${META}.ManagedFieldsEntry`,
  'Records which fields a workflow (a field manager) set, and how.',
  {
    manager: str('Name of the workflow that manages these fields.'),
    operation: str('"Apply" for server-side apply, "Update" for everything else.'),
    apiVersion: str('API version the fields were written in.'),
    time: ref(Time, 'When these fields were last changed.'),
    fieldsType: str('Format of fieldsV1; always "FieldsV1".'),
    fieldsV1: ref(FieldsV1, 'The fields this manager owns.'),
    subresource: str('The subresource written to, e.g. "status"; empty for the main resource.'),
  },
);

export const ObjectMeta = def(
  `${META}.ObjectMeta`,
  'Metadata every persisted object carries: identity, labels, annotations, ownership and lifecycle.',
  {
    name: str('Name, unique within a namespace (or the cluster for cluster-scoped kinds). Cannot be updated.'),
    generateName: str('Prefix the server extends with a random suffix to build a unique name when name is empty.'),
    namespace: str('Namespace the object lives in. Empty means "default" for namespaced kinds. Cannot be updated.'),
    uid: str('Unique identifier the server assigns at creation. Read-only.'),
    resourceVersion: str(
      'Opaque version of the object, changed on every write. Used for optimistic concurrency and watches. Read-only.',
    ),
    generation: int64('Sequence number of the desired state; bumped when the spec changes. Read-only.'),
    creationTimestamp: ref(Time, 'When the server created the object. Read-only.'),
    deletionTimestamp: ref(Time, 'When the object will be (or started being) deleted. Set by the server. Read-only.'),
    deletionGracePeriodSeconds: int64('Seconds allowed for graceful termination before the object is removed. Read-only.'),
    labels: stringMap('Key/value pairs used to organize and select objects.'),
    annotations: stringMap('Non-identifying key/value metadata for tools and people.'),
    ownerReferences: arr(ref(OwnerReference, undefined, { default: {} }), 'Objects this one depends on.', {
      mergeKey: 'uid',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['uid'],
    }),
    finalizers: arr(
      str('', { default: '' }),
      'Conditions that must be cleared (by their controllers) before the object is removed from storage.',
      { strategy: 'merge', listType: 'set' },
    ),
    managedFields: arr(ref(ManagedFieldsEntry, undefined, { default: {} }), 'Which manager set which fields. Maintained by the server.', {
      listType: 'atomic',
    }),
    selfLink: str('Deprecated; never set.'),
  },
);

export const ListMeta = def(`${META}.ListMeta`, 'Metadata of a list response.', {
  resourceVersion: str('Store revision the list was read at; start a watch from here to follow changes.'),
  continue: str('Opaque token to fetch the next page; empty on the last page.'),
  remainingItemCount: int64('Number of items after this page, when known.'),
  selfLink: str('Deprecated; never set.'),
});

export const LabelSelectorRequirement = def(
  `${META}.LabelSelectorRequirement`,
  'One requirement of a label selector: a key, an operator and values.',
  {
    key: str('The label key the requirement applies to.', { default: '' }),
    operator: str('In, NotIn, Exists or DoesNotExist.', { default: '' }),
    values: arr(str('', { default: '' }), 'Values for In and NotIn; must be empty for Exists and DoesNotExist.', {
      listType: 'atomic',
    }),
  },
  { required: ['key', 'operator'] },
);

export const LabelSelector = def(
  `${META}.LabelSelector`,
  'Selects objects by label. All requirements are ANDed; an empty selector matches everything.',
  {
    matchLabels: stringMap('Exact key=value matches.'),
    matchExpressions: arr(ref(LabelSelectorRequirement, undefined, { default: {} }), 'Set-based requirements.', {
      listType: 'atomic',
    }),
  },
  { extra: { 'x-kubernetes-map-type': 'atomic' } },
);

export const Condition = def(
  `${META}.Condition`,
  'One aspect of the current state of an object.',
  {
    type: str('Condition type in CamelCase, e.g. Available.', { default: '' }),
    status: str('"True", "False" or "Unknown".', { default: '' }),
    observedGeneration: int64('The metadata.generation the condition was set against.'),
    lastTransitionTime: ref(Time, 'When the status last changed.'),
    reason: str('Machine-readable CamelCase reason for the last transition.', { default: '' }),
    message: str('Human-readable details of the last transition.', { default: '' }),
  },
  { required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'] },
);

export const StatusCause = def(`${META}.StatusCause`, 'One cause of an error.', {
  reason: str('Machine-readable description of the cause.'),
  message: str('Human-readable description of the cause.'),
  field: str('Field path of the cause, e.g. "spec.containers[0].image".'),
});

export const StatusDetails = def(`${META}.StatusDetails`, 'Extra data about an error.', {
  name: str('Name of the object the error is about.'),
  group: str('API group of the object.'),
  kind: str('Kind (or resource) of the object.'),
  uid: str('UID of the object.'),
  causes: arr(ref(StatusCause, undefined, { default: {} }), 'The individual causes.', { listType: 'atomic' }),
  retryAfterSeconds: int64('Seconds to wait before retrying.', { format: 'int32' }),
});

export const Status = def(
  `${META}.Status`,
  'Result of an operation that does not return an object, and the shape of every error.',
  {
    apiVersion: str('Always "v1".'),
    kind: str('Always "Status".'),
    metadata: ref(ListMeta, 'Standard list metadata.', { default: {} }),
    status: str('"Success" or "Failure".'),
    message: str('Human-readable description.'),
    reason: str('Machine-readable reason, e.g. NotFound, AlreadyExists, Conflict, Invalid.'),
    details: ref(StatusDetails, 'Extra data, depending on the reason.'),
    code: int64('HTTP status code.', { format: 'int32' }),
  },
);

/** Standard `apiVersion` / `kind` / `metadata` properties every top-level kind starts with. */
export function typeMeta(): Record<string, ReturnType<typeof str>> {
  return {
    apiVersion: str('Versioned schema of this representation, e.g. "apps/v1".'),
    kind: str('The kind of object this is, in CamelCase, e.g. "Deployment".'),
  };
}

export const objectMeta = () =>
  ref(ObjectMeta, "Standard object's metadata: name, namespace, labels, annotations, ownership.", { default: {} });

export const listMeta = () => ref(ListMeta, 'Standard list metadata.', { default: {} });

/** `map[string]Quantity`, the shape of resource requests, limits, capacity and allocatable. */
export const resourceList = (description: string) => map(ref(Quantity), description);
