/**
 * The composition root of the headless control plane: opens the durable store, loads or creates the PKI,
 * wires authentication, authorization, admission, kind hooks and subresources into the API server, seeds the
 * cluster, serves CRDs, and writes the kubeconfig. The Electron shell and `pilothouse serve` both call this.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { builtinResources } from '../api/registry.js';
import type { ResourceDescriptor } from '../api/resource.js';
import { ApiServer } from '../apiserver/api-server.js';
import { defaultStorageClassAdmission } from '../apiserver/admission/plugins/default-storage-class.js';
import { namespaceLifecycle } from '../apiserver/admission/plugins/namespace-lifecycle.js';
import { chargeThroughStorage, resourceQuotaAdmission } from '../apiserver/admission/plugins/resource-quota-admission.js';
import { defaultTolerationSeconds, priorityAdmission, serviceAccountAdmission } from '../apiserver/admission/plugins/pod-defaults-admission.js';
import type { ObjectReader } from '../apiserver/admission/object-reader.js';
import { IpAllocator } from '../apiserver/allocators/ip-allocator.js';
import { PortAllocator } from '../apiserver/allocators/port-allocator.js';
import { createAuthenticator } from '../apiserver/authn/authenticator.js';
import { ServiceAccountTokens, userFromClaims, DEFAULT_AUDIENCE } from '../apiserver/authn/service-account-tokens.js';
import type { UserInfo } from '../apiserver/authn/user-info.js';
import { mastersAuthorizer } from '../apiserver/authz/authorizer.js';
import { CrdRegistrar } from '../apiserver/crd/crd-registrar.js';
import * as reviews from '../apiserver/handlers/reviews.js';
import { handleNamespaceFinalize } from '../apiserver/handlers/subresources/namespace-finalize.js';
import { bindPod, handlePodBinding } from '../apiserver/handlers/subresources/pod-binding.js';
import { handlePodConnect } from '../apiserver/handlers/subresources/pod-connect.js';
import { handlePodEviction } from '../apiserver/handlers/subresources/pod-eviction.js';
import { serviceAccountTokenHandler } from '../apiserver/handlers/subresources/service-account-token.js';
import { createOnUpdateHooks, namespaceHooks } from '../apiserver/kind-hooks/namespace-hooks.js';
import { podHooks } from '../apiserver/kind-hooks/pod-hooks.js';
import { claimExisting, serviceHooks } from '../apiserver/kind-hooks/service-hooks.js';
import { listPrefix } from '../apiserver/registry/object-keys.js';
import { ensureClusterPki } from '../pki/cluster-pki.js';
import { writeKubeconfig } from '../pki/kubeconfig.js';
import { startComponent, type ComponentHandle, type ComponentMode } from '../components/component-host.js';
import { controllerManagerComponent, type ControllerManagerCalls } from '../controllers/controller-manager-component.js';
import type { ControllerManagerOptions } from '../controllers/controller-manager-options.js';
import { simulatedNodesComponent, type SimulatedNodesCalls } from '../nodes/simulated-nodes-component.js';
import { schedulerComponent, type SchedulerCalls } from '../scheduler/scheduler-component.js';
import { openLowdbStore } from '../store/lowdb-store.js';
import type { Store } from '../store/store.js';
import { ComponentHealth } from './component-health.js';
import { patchers } from './patchers.js';
import { seedCluster } from './seed.js';
import { WatchedListCache } from './watched-list-cache.js';

export interface ControlPlaneOptions {
  dataDir: string;
  /** 0 = any free port. */
  apiPort?: number;
  host?: string;
  log?: (message: string) => void;
  /** Use this store instead of the lowdb store in the data dir (tests, benchmarks). */
  store?: Store;
  /** Ensure SimulatedNodes sim-node-1..n exist (`serve --simulated-nodes n`). The provider runs regardless. */
  simulatedNodes?: number;
  /**
   * Which control-plane components run besides the API server (all by default). Tests of the API machinery turn
   * them off so nothing else writes to the objects under test.
   */
  components?: { scheduler?: boolean; simulatedNodes?: boolean; controllerManager?: boolean };
  /** Settings of the controller manager (which controllers, node monitoring, cluster CIDR, ...). */
  controllerManager?: ControllerManagerOptions;
  /** Where the components run: each in a worker thread of its own (default) or on this thread (profiling). */
  componentMode?: ComponentMode;
}

export interface ControlPlane {
  server: ApiServer;
  store: Store;
  health: ComponentHealth;
  url: string;
  kubeconfigPath: string;
  /** The in-process (kwok-style) node provider serving SimulatedNode objects (absent when turned off). */
  simulatedNodes?: ComponentHandle<SimulatedNodesCalls>;
  /** The scheduler (default-scheduler profile), started after the API server (absent when turned off). */
  scheduler?: ComponentHandle<SchedulerCalls>;
  /** The controller manager (absent when turned off). */
  controllerManager?: ComponentHandle<ControllerManagerCalls>;
  stop(): Promise<void>;
}

const COMPONENT_YOUNG_GENERATION_MB = 48;
/** How long a simulated node waits for node-ipam's pod CIDR before using its own pool (covers a slow manager start). */
const SIMULATED_NODE_POD_CIDR_WAIT_SECONDS = 10;

/** Bindings are served through their own handler (like pods/binding); nothing is stored. */
function servedBuiltins(): ResourceDescriptor[] {
  return builtinResources.map((d) => (d.group === '' && d.plural === 'bindings' ? { ...d, virtual: true } : d));
}

export async function startControlPlane(opts: ControlPlaneOptions): Promise<ControlPlane> {
  const log = opts.log ?? ((m: string) => console.error(m));
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const [store, pki] = await Promise.all([
    opts.store ? Promise.resolve(opts.store) : openLowdbStore({ dir: join(opts.dataDir, 'store'), log }),
    ensureClusterPki(opts.dataDir),
  ]);
  const tokens = new ServiceAccountTokens(pki.serviceAccountKey.privatePem, pki.serviceAccountKey.publicPem);
  const health = new ComponentHealth();
  health.register('etcd-0', () => ({ healthy: true, message: `{"health":"true","backend":"${store.backend}"}` }));

  let server: ApiServer;
  const lists = new WatchedListCache(store);
  const reader: ObjectReader = {
    async get(group, plural, namespace, name) {
      return (await server.storageForResource(group, plural).getEntry(namespace, name))?.value;
    },
    async list(group, plural, namespace) {
      const d = server.registry.findByResource(group, plural);
      if (!d) return [];
      return lists.list(listPrefix(d, namespace));
    },
  };
  const verifyServiceAccountToken = async (token: string, audience = DEFAULT_AUDIENCE): Promise<UserInfo | undefined> => {
    const claims = tokens.verify(token, audience);
    if (!claims) return undefined;
    const ref = claims['kubernetes.io'];
    const sa = await reader.get('', 'serviceaccounts', ref.namespace, ref.serviceaccount.name);
    if (!sa || sa.metadata.uid !== ref.serviceaccount.uid) return undefined;
    for (const [plural, bound] of [['pods', ref.pod], ['secrets', ref.secret]] as const) {
      if (!bound) continue;
      const obj = await reader.get('', plural, ref.namespace, bound.name);
      if (!obj || obj.metadata.uid !== bound.uid) return undefined;
    }
    return userFromClaims(claims);
  };

  const allocators = { ips: new IpAllocator(), ports: new PortAllocator() };
  server = new ApiServer({
    store,
    builtins: servedBuiltins(),
    patchers,
    authenticator: createAuthenticator((t) => verifyServiceAccountToken(t)),
    authorizer: mastersAuthorizer,
    admission: [
      namespaceLifecycle(reader), serviceAccountAdmission, defaultTolerationSeconds, priorityAdmission(reader), defaultStorageClassAdmission(reader),
      // Last, as upstream orders it: quota measures the object every other plugin has finished.
      resourceQuotaAdmission(reader, chargeThroughStorage(() => server.storageForResource('', 'resourcequotas'))),
    ],
    hooks: {
      '/pods': podHooks,
      '/namespaces': namespaceHooks,
      '/services': serviceHooks(allocators),
      '/endpoints': createOnUpdateHooks,
      '/events': createOnUpdateHooks,
      'events.k8s.io/events': createOnUpdateHooks,
      'coordination.k8s.io/leases': createOnUpdateHooks,
    },
    tls: { key: pki.apiserver.keyPem, cert: pki.apiserver.certPem, clientCA: pki.ca.certPem },
    host: opts.host ?? '127.0.0.1',
    port: opts.apiPort ?? 6443,
    health: [{ name: 'etcd', check: () => undefined }],
    log,
  });

  server.subresources.set('/pods/binding', (ctx, _d, core) => handlePodBinding(ctx, core));
  server.subresources.set('/pods/eviction', (ctx, _d, core) => handlePodEviction(ctx, core));
  for (const sub of ['log', 'exec', 'attach', 'portforward', 'proxy'])
    server.subresources.set(`/pods/${sub}`, (ctx, _d, core) => handlePodConnect(ctx, core));
  server.subresources.set('/serviceaccounts/token', (ctx, _d, core) => serviceAccountTokenHandler(tokens)(ctx, core));
  server.subresources.set('/namespaces/finalize', (ctx, _d, core) => handleNamespaceFinalize(ctx, core));
  server.virtual.set('/bindings', async (ctx, _d, body, core) => {
    await bindPod(ctx, core.storageFor(core.registry.find('', 'v1', 'pods')!), ctx.info.namespace, body);
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } as never;
  });
  server.virtual.set('authorization.k8s.io/selfsubjectaccessreviews', reviews.selfSubjectAccessReview);
  server.virtual.set('authorization.k8s.io/subjectaccessreviews', reviews.subjectAccessReview);
  server.virtual.set('authorization.k8s.io/localsubjectaccessreviews', reviews.subjectAccessReview);
  server.virtual.set('authorization.k8s.io/selfsubjectrulesreviews', reviews.selfSubjectRulesReview);
  server.virtual.set('authentication.k8s.io/selfsubjectreviews', reviews.selfSubjectReview);
  server.virtual.set('authentication.k8s.io/tokenreviews', reviews.tokenReview(async (token, audiences) => {
    const aud = audiences.length ? audiences : [DEFAULT_AUDIENCE];
    for (const a of aud) {
      const user = await verifyServiceAccountToken(token, a);
      if (user) return { user, audiences: [a] };
    }
    return undefined;
  }));
  server.computed.set('/componentstatuses', async () => health.statuses());

  for (const e of (await store.list('/core/services/')).items) claimExisting(e.value as never, allocators);

  const port = await server.listen();
  const host = opts.host ?? '127.0.0.1';
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  await seedCluster(server, port);
  const crds = new CrdRegistrar(server);
  await crds.start();
  const kubeconfigPath = join(opts.dataDir, 'kubeconfig');
  await writeKubeconfig(kubeconfigPath, { server: url, caPem: pki.ca.certPem, clientCertPem: pki.admin.certPem, clientKeyPem: pki.admin.keyPem });
  const mode = opts.componentMode;
  // Components are throughput work, unlike the API server's request latency that `serve` tunes its own young
  // generation for (SERVER_NODE_FLAGS): give their threads a roomy one, whatever the process flags.
  const youngGenerationMb = COMPONENT_YOUNG_GENERATION_MB;
  // With the node-ipam controller running, simulated nodes register without a pod CIDR and take its assignment.
  const ipam = opts.components?.controllerManager !== false && (opts.controllerManager?.controllers?.includes('node-ipam') ?? true);
  const simulatedNodesOptions = { count: opts.simulatedNodes ?? 0, awaitPodCidrSeconds: ipam ? SIMULATED_NODE_POD_CIDR_WAIT_SECONDS : 0 };
  const started = await Promise.allSettled([
    opts.components?.scheduler === false ? undefined : startComponent(schedulerComponent, { server, options: {}, log, mode, youngGenerationMb }),
    opts.components?.simulatedNodes === false
      ? undefined
      : startComponent(simulatedNodesComponent, { server, options: simulatedNodesOptions, log, mode, youngGenerationMb }),
    opts.components?.controllerManager === false
      ? undefined
      : startComponent(controllerManagerComponent, { server, options: { rootCAPem: pki.ca.certPem, ...opts.controllerManager }, log, mode, youngGenerationMb }),
  ]);
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    for (const r of started) if (r.status === 'fulfilled') await r.value?.stop();
    throw failed.reason;
  }
  const [scheduler, simulatedNodes, controllerManager] = started.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [
    ComponentHandle<SchedulerCalls> | undefined,
    ComponentHandle<SimulatedNodesCalls> | undefined,
    ComponentHandle<ControllerManagerCalls> | undefined,
  ];
  if (scheduler) {
    server.computed.set('scheduling.pilothouse.dev/schedulingdecisions', () => scheduler.call('decisions'));
    health.register('scheduler', () => scheduler.health());
  }
  if (controllerManager) health.register('controller-manager', () => controllerManager.health());

  return {
    server, store, health, url, kubeconfigPath, simulatedNodes, scheduler, controllerManager,
    async stop() {
      await Promise.all([simulatedNodes?.stop(), scheduler?.stop(), controllerManager?.stop()]);
      crds.stop();
      lists.close();
      await server.close();
      await store.close();
    },
  };
}
