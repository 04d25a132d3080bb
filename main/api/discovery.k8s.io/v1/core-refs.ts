/**
 * core/v1 ObjectReference, declared here under its upstream name for the kinds of this task that embed it
 * (EndpointSlice targetRef, events.k8s.io regarding/related). Same shape as the core group's definition.
 */
import { def, str } from '../../schema/builder.js';

export const ObjectReference = def('io.k8s.api.core.v1.ObjectReference', 'Points at a specific object, optionally a field of it.', {
  kind: str('Kind of the referenced object.'),
  namespace: str('Namespace of the referenced object.'),
  name: str('Name of the referenced object.'),
  uid: str('UID of the referenced object.'),
  apiVersion: str('API version of the referenced object.'),
  resourceVersion: str('Resource version the reference was made at.'),
  fieldPath: str('Part of the object referenced, e.g. "spec.containers{web}".'),
}, { extra: { 'x-kubernetes-map-type': 'atomic' } });

export interface ObjectReferenceT {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}
