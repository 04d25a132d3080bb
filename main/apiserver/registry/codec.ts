/**
 * Conversion between the version a client speaks and the version objects are stored in. Most resources are
 * stored as served; multi-version kinds (autoscaling/v1 HPA over v2, events.k8s.io Events over core/v1) go
 * through their descriptor's storage mapping.
 */
import { apiVersionOf, type ResourceDescriptor } from '../../api/resource.js';
import type { KObject } from '../../api/meta/object.js';
import type { StoredEntry } from '../../store/store.js';

export interface Codec {
  /** True when stored values are served as-is (their cached JSON can be reused). */
  readonly identity: boolean;
  toStored(obj: KObject): KObject;
  fromStored(stored: KObject): KObject;
}

/**
 * ObjectMeta's collections are `omitempty` upstream: a patch or update that empties labels, annotations,
 * finalizers, ownerReferences or managedFields leaves the field out of the stored object, not `[]` or `{}`.
 */
function dropEmptyMetadata(o: KObject): KObject {
  const m = o.metadata as Record<string, unknown> | undefined;
  if (!m) return o;
  for (const k of ['labels', 'annotations', 'finalizers', 'ownerReferences', 'managedFields']) {
    const v = m[k];
    if (v === null || (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && v !== null && Object.keys(v).length === 0)) delete m[k];
  }
  return o;
}

export function codecFor(d: ResourceDescriptor): Codec {
  const apiVersion = apiVersionOf(d);
  if (!d.storage) {
    return {
      identity: true,
      toStored: (o) => {
        dropEmptyMetadata(o);
        o.apiVersion = apiVersion;
        o.kind = d.kind;
        return o;
      },
      fromStored: (o) => o,
    };
  }
  const mapping = d.storage;
  return {
    identity: false,
    toStored: (o) => mapping.toStorage(dropEmptyMetadata(o)),
    fromStored: (o) => {
      const served = mapping.fromStorage(o);
      served.apiVersion = apiVersion;
      served.kind = d.kind;
      return served;
    },
  };
}

/** Serialized form of a stored entry as served through `codec`, reusing the entry's JSON cache when possible. */
export function entryJson(entry: StoredEntry, codec: Codec): string {
  if (codec.identity) return (entry.json ??= JSON.stringify(entry.value));
  return JSON.stringify(codec.fromStored(entry.value));
}

/** Served objects that are the value of a stored entry (identity codecs), so responses can reuse its JSON. */
const entryOfServed = new WeakMap<object, StoredEntry>();

/** The served object of `entry`; for identity codecs it remembers the entry, for `servedJson`. */
export function servedObject(entry: StoredEntry, codec: Codec): KObject {
  const obj = codec.fromStored(entry.value);
  if (codec.identity) entryOfServed.set(obj, entry);
  return obj;
}

/**
 * The cached JSON of an object returned by `servedObject` (objects handed out are never mutated: they are the
 * store's), or undefined for any other object.
 */
export function servedJson(obj: KObject): string | undefined {
  const e = entryOfServed.get(obj);
  if (!e || e.value !== obj) return undefined;
  return (e.json ??= JSON.stringify(e.value));
}

/**
 * A private, mutable copy of the object `entry` serves. For identity codecs this parses the entry's cached
 * JSON (filling the cache first if needed), which costs half of a stringify + parse deep copy.
 */
export function copyOfEntry(entry: StoredEntry, codec: Codec): KObject {
  if (codec.identity) return JSON.parse(entry.json ??= JSON.stringify(entry.value)) as KObject;
  return JSON.parse(JSON.stringify(codec.fromStored(entry.value))) as KObject;
}
