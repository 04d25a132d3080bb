/**
 * Kubernetes protobuf wire format support: decode kubectl's `application/vnd.kubernetes.protobuf` request
 * bodies into JSON objects (and encode JSON objects back, mainly for tests).
 */
import { allLayouts, getLayout } from './layout.js';
import { SPECIAL_TYPES } from './special-types.js';
import './layouts/index.js';

export { decodeKubernetesProtobuf, ProtobufDecodeError, type DecodedObject, type DecodeOptions } from './decode.js';
export { encodeKubernetesProtobuf } from './encode.js';
export { messageForKind, supportedGroupVersions } from './kinds.js';

export const KUBERNETES_PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/** Lists message references that resolve to neither a layout nor a special type (should be empty). */
export function unresolvedLayoutReferences(): string[] {
  const missing = new Set<string>();
  for (const layout of allLayouts()) {
    for (const field of layout.fields.values()) {
      if ('message' in field.type && !getLayout(field.type.message) && !SPECIAL_TYPES.has(field.type.message)) {
        missing.add(`${layout.name}.${field.json} -> ${field.type.message}`);
      }
    }
  }
  return [...missing].sort();
}
