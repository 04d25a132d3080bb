/**
 * Plugin statuses, as kube-scheduler's framework.Status: a code, human-readable reasons (the exact strings
 * that end up in FailedScheduling messages, e.g. "Insufficient cpu"), and the plugin that produced it.
 * Contract: plugins return `null` for Success (like Go's nil *Status) so the hot Filter path allocates nothing.
 */

export enum Code {
  Success = 0,
  /** Internal error: the attempt fails and the pod is retried with backoff (not Unschedulable). */
  Error = 1,
  /** The node cannot host the pod now; preemption may help. */
  Unschedulable = 2,
  /** The node cannot host the pod and preemption cannot change that (e.g. node affinity mismatch). */
  UnschedulableAndUnresolvable = 3,
  /** Permit only: wait. Kept for completeness. */
  Wait = 4,
  /** PreFilter/PreScore: the plugin does not apply to this pod; its Filter/Score is skipped. Bind: next binder. */
  Skip = 5,
  /** The pod waits for something outside the scheduler's control (upstream Pending). */
  Pending = 6,
}

export const CODE_NAMES: Record<Code, string> = {
  [Code.Success]: 'Success',
  [Code.Error]: 'Error',
  [Code.Unschedulable]: 'Unschedulable',
  [Code.UnschedulableAndUnresolvable]: 'UnschedulableAndUnresolvable',
  [Code.Wait]: 'Wait',
  [Code.Skip]: 'Skip',
  [Code.Pending]: 'Pending',
};

export class Status {
  /** Set by the framework when it runs the plugin (plugins need not fill it). */
  plugin?: string;
  constructor(
    readonly code: Code,
    readonly reasons: string[] = [],
    readonly error?: Error,
  ) {}

  static unschedulable(...reasons: string[]): Status {
    return new Status(Code.Unschedulable, reasons);
  }
  static unresolvable(...reasons: string[]): Status {
    return new Status(Code.UnschedulableAndUnresolvable, reasons);
  }
  static error(err: Error | string): Status {
    const e = typeof err === 'string' ? new Error(err) : err;
    return new Status(Code.Error, [e.message], e);
  }
  static skip(): Status {
    return new Status(Code.Skip);
  }
  static pending(...reasons: string[]): Status {
    return new Status(Code.Pending, reasons);
  }

  /** Reasons joined as upstream Status.Message(): ", ". */
  message(): string {
    return this.reasons.join(', ');
  }
  isUnschedulable(): boolean {
    return this.code === Code.Unschedulable || this.code === Code.UnschedulableAndUnresolvable;
  }
  withPlugin(name: string): this {
    this.plugin = name;
    return this;
  }
}

/** `null` (or undefined) is Success. */
export type PluginStatus = Status | null;

export function isSuccess(s: PluginStatus | undefined): boolean {
  return !s || s.code === Code.Success;
}

export function codeOf(s: PluginStatus | undefined): Code {
  return s ? s.code : Code.Success;
}
