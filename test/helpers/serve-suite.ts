/**
 * One `pilothouse serve` per e2e test file: started in a before() hook (then `setUp`), stopped and cleaned up after the file's tests, with a kubectl for its kubeconfig and a polling helper
 * that shows the server's output when it times out.
 */
import { after, before } from 'node:test';
import { kubectlFor, type Kubectl } from './kubectl.js';
import { eventually, startServe, type ServeProcess } from './serve-process.js';

export interface ServeSuite {
  /** The running server (inside tests and hooks only). */
  readonly serve: ServeProcess;
  readonly k: Kubectl;
  /** Polls until `check` holds; `timeoutMs` defaults to the suite's `eventuallyMs`. */
  eventually(what: string, check: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
}

export interface ServeSuiteOptions {
  args?: string[];
  eventuallyMs?: number;
  /** Runs once the server is up, before the file's tests (arranging shared objects, waiting for nodes). */
  setUp?: () => Promise<void>;
}

export function serveSuite(opts: ServeSuiteOptions = {}): ServeSuite {
  let serve: ServeProcess | undefined;
  const running = (): ServeProcess => {
    if (!serve) throw new Error('the suite server is not running (use it inside tests or hooks)');
    return serve;
  };
  before(async () => {
    serve = await startServe({ args: opts.args });
    await opts.setUp?.();
  });
  after(async () => {
    await serve?.stop();
    await serve?.cleanup();
  });
  return {
    get serve() {
      return running();
    },
    k: kubectlFor(() => running().kubeconfig),
    eventually: (what, check, timeoutMs = opts.eventuallyMs) => eventually(running(), what, check, timeoutMs),
  };
}
