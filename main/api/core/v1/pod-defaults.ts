/** Placeholder; filled in next. */
import type { PodSpec } from './pod-types.js';
export function defaultPodSpec(_spec: PodSpec, _opts: { template?: boolean } = {}): void {}
