/** Placeholder; filled in next. */
import type { FieldError, FieldPath } from '../../meta/field-errors.js';
import type { PodSpec } from './pod-types.js';
export function validatePodSpec(_spec: PodSpec | undefined, _path: FieldPath): FieldError[] {
  return [];
}
