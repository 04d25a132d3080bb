/** Cell helpers shared by the tables of kinds that carry a pod template (upstream's layoutContainerCells). */
import type { PodSpec } from './pod-types.js';

/** Container names joined by commas, as the CONTAINERS column shows them. */
export function containerNames(spec: PodSpec | undefined): string {
  return (spec?.containers ?? []).map((c) => c.name).join(',');
}

/** Container images joined by commas, as the IMAGES column shows them. */
export function containerImages(spec: PodSpec | undefined): string {
  return (spec?.containers ?? []).map((c) => c.image ?? '').join(',');
}
