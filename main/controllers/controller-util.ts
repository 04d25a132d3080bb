/** Small helpers shared by several controllers: error classification. */
import { ApiStatusError } from '../client/kube-client.js';

/** The API server refused a create because the namespace is being terminated (or is gone). */
export const isForbiddenInTerminatingNamespace = (e: unknown): boolean =>
  e instanceof ApiStatusError && (e.code === 403 || e.code === 404) && /terminat|not found/i.test(e.message);

/** Message of any thrown value. */
export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
