/**
 * Paged, filtered listing of one resource. Continue tokens carry the revision of the first page and the last
 * key returned; later pages are read from the current state after that key (the store keeps no MVCC
 * snapshots), which matches what kubectl needs: it stitches pages and re-lists on change.
 */
import type { StoredEntry } from '../../store/store.js';
import { badRequest } from '../http/api-error.js';
import type { ObjectFilter } from './object-filter.js';
import { listPrefix } from './object-keys.js';
import type { ResourceStorage } from './resource-storage.js';

export interface ListRequest {
  namespace: string;
  filter: ObjectFilter;
  limit?: number;
  continueToken?: string;
}

export interface ListPage {
  entries: StoredEntry[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

export function encodeContinue(rv: number, lastKey: string): string {
  const token: ContinueToken = { v: 'meta.k8s.io/v1', rv, start: `${lastKey}\u0000` };
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeContinue(token: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
    if (t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string') throw new Error('bad');
    return t;
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

const CHUNK = 1000;

export async function listObjects(storage: ResourceStorage, req: ListRequest): Promise<ListPage> {
  const prefix = listPrefix(storage.descriptor, req.namespace);
  const store = storage.store;
  let after: string | undefined;
  let revision: number | undefined;
  if (req.continueToken) {
    const t = decodeContinue(req.continueToken);
    after = t.start.replace(/\u0000$/, '');
    if (!after.startsWith(prefix)) throw badRequest('continue key is not valid: the continue token does not belong to this list');
    revision = t.rv;
  }
  const limit = req.limit && req.limit > 0 ? req.limit : 0;
  const filter = req.filter;

  if (filter.everything) {
    const res = await store.list(prefix, { limit: limit || undefined, after });
    const rv = revision ?? res.revision;
    const page: ListPage = { entries: res.items, resourceVersion: String(rv) };
    if (res.more && res.items.length > 0) {
      page.continue = encodeContinue(rv, res.items[res.items.length - 1]!.key);
      page.remainingItemCount = res.remaining;
    }
    return page;
  }

  // Filtered: read chunks until the page is full or the range is exhausted.
  const entries: StoredEntry[] = [];
  let cursor = after;
  let more = false;
  let rv = revision;
  for (;;) {
    const res = await store.list(prefix, { limit: CHUNK, after: cursor });
    rv ??= res.revision;
    for (const e of res.items) {
      if (!filter.matches(storage.codec.fromStored(e.value))) continue;
      if (limit && entries.length === limit) {
        more = true;
        break;
      }
      entries.push(e);
    }
    if (more || !res.more || res.items.length === 0) break;
    cursor = res.items[res.items.length - 1]!.key;
  }
  const page: ListPage = { entries, resourceVersion: String(rv) };
  if (more && entries.length > 0) page.continue = encodeContinue(rv!, entries[entries.length - 1]!.key);
  return page;
}
