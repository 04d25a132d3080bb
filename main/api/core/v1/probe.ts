/**
 * Probes and lifecycle hooks (io.k8s.api.core.v1.Probe, Lifecycle and their actions). One handler kind per
 * probe or hook: exec, httpGet, tcpSocket, grpc (probes only) or sleep (hooks only).
 */
import { IntOrString } from '../../meta/schemas.js';
import { arr, def, enumStr, int32, int64, ref, str } from '../../schema/builder.js';

const CORE = 'io.k8s.api.core.v1';

export const ExecAction = def(`${CORE}.ExecAction`, 'Runs a command inside the container.', {
  command: arr(str('', { default: '' }), 'Command line to run, without a shell; exit status 0 means success.', {
    listType: 'atomic',
  }),
});

export const HTTPHeader = def(
  `${CORE}.HTTPHeader`,
  'One header of an HTTP probe request.',
  {
    name: str('Header name; normalized on output.', { default: '' }),
    value: str('Header value.', { default: '' }),
  },
  { required: ['name', 'value'] },
);

export const HTTPGetAction = def(
  `${CORE}.HTTPGetAction`,
  'An HTTP GET request; a status from 200 to 399 means success.',
  {
    path: str('Path to request.'),
    port: ref(IntOrString, 'Port number or named container port to contact.'),
    host: str('Host to connect to; the pod IP when empty.'),
    scheme: enumStr('HTTP or HTTPS. Defaults to HTTP.', { HTTP: 'plain HTTP', HTTPS: 'HTTP over TLS, without certificate checks' }),
    httpHeaders: arr(ref(HTTPHeader, undefined, { default: {} }), 'Extra request headers.', { listType: 'atomic' }),
  },
  { required: ['port'] },
);

export const TCPSocketAction = def(
  `${CORE}.TCPSocketAction`,
  'Opens a TCP connection; success when it connects.',
  {
    port: ref(IntOrString, 'Port number or named container port to connect to.'),
    host: str('Host to connect to; the pod IP when empty.'),
  },
  { required: ['port'] },
);

export const GRPCAction = def(
  `${CORE}.GRPCAction`,
  'Calls the gRPC health checking protocol.',
  {
    port: int32('Port number of the gRPC service.', { default: 0 }),
    service: str('Service name sent in the health check request; empty means the server as a whole.', { default: '' }),
  },
  { required: ['port'] },
);

export const SleepAction = def(
  `${CORE}.SleepAction`,
  'Pauses for a number of seconds.',
  { seconds: int64('Seconds to sleep.', { default: 0 }) },
  { required: ['seconds'] },
);

export const Probe = def(`${CORE}.Probe`, 'A periodic health check of a container.', {
  exec: ref(ExecAction, 'Run a command.'),
  httpGet: ref(HTTPGetAction, 'Send an HTTP GET request.'),
  tcpSocket: ref(TCPSocketAction, 'Open a TCP connection.'),
  grpc: ref(GRPCAction, 'Call the gRPC health service.'),
  initialDelaySeconds: int32('Seconds after the container starts before the first probe.'),
  timeoutSeconds: int32('Seconds after which a probe attempt times out. Defaults to 1.'),
  periodSeconds: int32('Seconds between probe attempts. Defaults to 10.'),
  successThreshold: int32('Consecutive successes needed after a failure. Defaults to 1; must be 1 for liveness and startup.'),
  failureThreshold: int32('Consecutive failures before the probe is considered failed. Defaults to 3.'),
  terminationGracePeriodSeconds: int64('Grace period for a kill caused by this probe failing; overrides the pod value.'),
});

export const LifecycleHandler = def(`${CORE}.LifecycleHandler`, 'An action run by a lifecycle hook.', {
  exec: ref(ExecAction, 'Run a command.'),
  httpGet: ref(HTTPGetAction, 'Send an HTTP GET request.'),
  tcpSocket: ref(TCPSocketAction, 'Deprecated; kept for compatibility and never run.'),
  sleep: ref(SleepAction, 'Sleep for a while.'),
});

export const Lifecycle = def(`${CORE}.Lifecycle`, 'Actions run when a container starts and before it stops.', {
  postStart: ref(LifecycleHandler, 'Runs right after the container is created; a failure restarts the container.'),
  preStop: ref(LifecycleHandler, 'Runs before the container is terminated by an API request or a management event.'),
});
