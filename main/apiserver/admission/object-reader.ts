/** Read access to stored objects for admission plugins and hooks (no authorization: server-internal). */
import type { KObject } from '../../api/meta/object.js';

export interface ObjectReader {
  get(group: string, plural: string, namespace: string, name: string): Promise<KObject | undefined>;
  list(group: string, plural: string, namespace: string): Promise<KObject[]>;
}
