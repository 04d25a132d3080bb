/**
 * Admission: plugins that may change (mutate) and then accept or reject (validate) every write, after
 * authentication and authorization and before storage — kube-apiserver's admission chain. The same chain runs
 * for HTTP requests and for in-process clients.
 */
import type { KObject } from '../../api/meta/object.js';
import type { ResourceDescriptor } from '../../api/resource.js';
import type { UserInfo } from '../authn/user-info.js';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionRequest {
  operation: AdmissionOperation;
  descriptor: ResourceDescriptor;
  namespace: string;
  name: string;
  subresource: string;
  /** The object being written (mutable during `mutate`); absent for DELETE. */
  object?: KObject;
  oldObject?: KObject;
  user: UserInfo;
  dryRun: boolean;
}

export interface AdmissionPlugin {
  readonly name: string;
  /** May modify `req.object`. Throws an ApiError to reject. */
  mutate?(req: AdmissionRequest): Promise<void> | void;
  /** Must not modify anything. Throws an ApiError to reject. */
  validate?(req: AdmissionRequest): Promise<void> | void;
}

export class AdmissionChain {
  constructor(private readonly plugins: AdmissionPlugin[]) {}

  names(): string[] {
    return this.plugins.map((p) => p.name);
  }

  async mutate(req: AdmissionRequest): Promise<void> {
    for (const p of this.plugins) if (p.mutate) await p.mutate(req);
  }

  async validate(req: AdmissionRequest): Promise<void> {
    for (const p of this.plugins) if (p.validate) await p.validate(req);
  }
}
