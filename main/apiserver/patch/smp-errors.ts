/**
 * The strategic-merge-patch errors of apimachinery's mergepatch package, with the HTTP codes
 * kube-apiserver's patch handler maps them to (interpretStrategicMergePatchError): the malformed-directive
 * sentinels become 400 BadRequest, "lists of lists" a generic 422, and every other failure (unknown `$patch`
 * value, missing merge key, ...) escapes unconverted and is served as a 500 carrying the raw text.
 */
import { GENERIC_UNPROCESSABLE, PatchError } from './errors.js';
import { goTypeName, goValue } from './go-format.js';

export const badPatchFormatForPrimitiveList = (): PatchError => new PatchError('invalid patch format of primitive list', 400);
export const badPatchFormatForRetainKeys = (): PatchError => new PatchError('invalid patch format of retainKeys', 400);
export const badPatchFormatForSetElementOrderList = (): PatchError =>
  new PatchError('invalid patch format of setElementOrder list', 400);
export const noListOfLists = (): PatchError => new PatchError('lists of lists are not supported', 422, GENERIC_UNPROCESSABLE);

/** Any other failure: served as a 500 with the message as-is. */
export const smpFailure = (message: string): PatchError => new PatchError(message, 500);

export const noMergeKey = (m: unknown, key: string): PatchError =>
  smpFailure(`map: ${goValue(m)} does not contain declared merge key: ${key}`);

/** `expected a <type>, but received a <type>`; `expected` is the Go type name the code asserted. */
export const badArgType = (expected: 'map' | 'slice', actual: unknown): PatchError =>
  smpFailure(`expected a ${expected === 'map' ? 'map[string]interface {}' : '[]interface {}'}, but received a ${goTypeName(actual)}`);

export const badPatchType = (directive: unknown, m: unknown): PatchError =>
  smpFailure(`unknown patch type: ${goValue(directive)} in map: ${goValue(m)}`);
