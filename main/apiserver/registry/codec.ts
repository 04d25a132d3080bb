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

export function codecFor(d: ResourceDescriptor): Codec {
  const apiVersion = apiVersionOf(d);
  if (!d.storage) {
    return {
      identity: true,
      toStored: (o) => {
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
    toStored: (o) => mapping.toStorage(o),
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
