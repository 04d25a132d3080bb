/**
 * An in-memory KubeClient for unit tests of the simulated kubelet: objects by resource/namespace/name,
 * resourceVersions, AlreadyExists/NotFound/Conflict errors, merge patches, and a log of every write.
 * Watches deliver nothing (tests drive handlers directly).
 */
import { cloneJson, type KObject } from '../../../main/api/meta/object.js';
import { ApiStatusError, type KubeClient, type ResourceRef } from '../../../main/client/kube-client.js';

function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export class FakeKubeClient implements KubeClient {
  readonly objects = new Map<string, KObject>();
  readonly writes: string[] = [];
  private rv = 1;

  private key(r: ResourceRef, ns: string, name: string) {
    return `${r.plural}/${r.namespaced ? ns : ''}/${name}`;
  }
  private notFound(r: ResourceRef, name: string): never {
    throw new ApiStatusError(404, 'NotFound', `${r.plural} "${name}" not found`, undefined);
  }
  private stamp<T extends KObject>(obj: T): T {
    obj.metadata.resourceVersion = String(++this.rv);
    obj.metadata.uid ??= `uid-${this.rv}`;
    return obj;
  }

  async get<T extends KObject>(r: ResourceRef, ns: string, name: string): Promise<T> {
    const o = this.objects.get(this.key(r, ns, name));
    if (!o) this.notFound(r, name);
    return cloneJson(o) as T;
  }
  async list<T extends KObject>(r: ResourceRef, ns: string) {
    const items = [...this.objects.entries()].filter(([k]) => k.startsWith(`${r.plural}/${ns}`)).map(([, v]) => cloneJson(v) as T);
    return { items, resourceVersion: String(this.rv) };
  }
  watch() {
    return { stop() {}, done: new Promise<undefined>(() => {}) };
  }
  async create<T extends KObject>(r: ResourceRef, ns: string, obj: T): Promise<T> {
    const k = this.key(r, ns, obj.metadata.name ?? '');
    if (this.objects.has(k)) throw new ApiStatusError(409, 'AlreadyExists', 'exists', undefined);
    this.writes.push(`create ${k}`);
    const stored = this.stamp(cloneJson(obj));
    this.objects.set(k, stored);
    return cloneJson(stored);
  }
  async update<T extends KObject>(r: ResourceRef, ns: string, obj: T, opts?: { subresource?: string }): Promise<T> {
    const k = this.key(r, ns, obj.metadata.name ?? '');
    const cur = this.objects.get(k);
    if (!cur) this.notFound(r, obj.metadata.name ?? '');
    if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== cur.metadata.resourceVersion)
      throw new ApiStatusError(409, 'Conflict', 'conflict', undefined);
    this.writes.push(`update${opts?.subresource ? '/' + opts.subresource : ''} ${k}`);
    const stored = this.stamp({ ...cloneJson(obj), metadata: { ...cloneJson(obj.metadata), uid: cur.metadata.uid } });
    this.objects.set(k, stored);
    return cloneJson(stored);
  }
  async patch<T extends KObject>(r: ResourceRef, ns: string, name: string, _type: string, patch: unknown, opts?: { subresource?: string }): Promise<T> {
    const k = this.key(r, ns, name);
    const cur = this.objects.get(k);
    if (!cur) this.notFound(r, name);
    this.writes.push(`patch${opts?.subresource ? '/' + opts.subresource : ''} ${k}`);
    const stored = this.stamp(mergePatch(cur, patch) as T);
    this.objects.set(k, stored);
    return cloneJson(stored);
  }
  async delete(r: ResourceRef, ns: string, name: string): Promise<void> {
    const k = this.key(r, ns, name);
    if (!this.objects.delete(k)) this.notFound(r, name);
    this.writes.push(`delete ${k}`);
  }
  async post(): Promise<unknown> {
    return {};
  }
  async getRaw(path: string): Promise<unknown> {
    throw new ApiStatusError(404, 'NotFound', `the server could not find the requested resource (get ${path})`, undefined);
  }
}
