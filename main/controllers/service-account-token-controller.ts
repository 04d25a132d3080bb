/**
 * The "serviceaccount-token" controller (upstream pkg/controller/serviceaccount TokensController): a Secret of type
 * kubernetes.io/service-account-token naming a ServiceAccount in its `kubernetes.io/service-account.name`
 * annotation is filled with `token`, `ca.crt` (the cluster CA, when the manager knows it) and `namespace`, and gets
 * the `kubernetes.io/service-account.uid` annotation. Such a secret is deleted once its ServiceAccount is gone (or
 * was replaced by one with another uid).
 *
 * The token comes from the API server's TokenRequest endpoint (serviceaccounts/<name>/token) bound to the Secret
 * with the longest lifetime it grants (2^32 s): the API server accepts it while the ServiceAccount and the Secret
 * (same uids) exist, which is the life of a legacy secret token. Upstream signs a claim set without expiry in the
 * controller manager itself; Pilothouse keeps the signing key in the API server only.
 */
import type { KObject } from '../api/meta/object.js';
import { isConflict, isNotFound, SECRETS, SERVICEACCOUNTS } from '../client/kube-client.js';
import { runWorkers, WorkQueue } from '../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from './controller.js';
import { workersFor } from './controller-manager-options.js';
import { errorMessage } from './controller-util.js';

export const SERVICE_ACCOUNT_TOKEN_TYPE = 'kubernetes.io/service-account-token';
export const SERVICE_ACCOUNT_NAME_ANNOTATION = 'kubernetes.io/service-account.name';
export const SERVICE_ACCOUNT_UID_ANNOTATION = 'kubernetes.io/service-account.uid';
/** The TokenRequest API's maximum lifetime. */
const LEGACY_TOKEN_SECONDS = 2 ** 32;

interface SecretLike extends KObject {
  type?: string;
  data?: Record<string, string>;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export const serviceAccountTokenController: ControllerFactory = {
  name: 'serviceaccount-token',
  create(ctx: ControllerContext): Controller {
    const secrets = ctx.informers.informerFor<SecretLike>(SECRETS);
    const accounts = ctx.informers.informerFor<KObject>(SERVICEACCOUNTS);
    const queue = new WorkQueue<string>();
    const isTokenSecret = (s: SecretLike) => s.type === SERVICE_ACCOUNT_TOKEN_TYPE;
    const enqueueSecret = (s: SecretLike) => {
      if (isTokenSecret(s)) queue.add(`${s.metadata.namespace}/${s.metadata.name}`);
    };
    /** The token secrets of a ServiceAccount that changed or went away. */
    const enqueueSecretsOf = (sa: KObject) => {
      for (const s of secrets.store.list())
        if (isTokenSecret(s) && s.metadata.namespace === sa.metadata.namespace && s.metadata.annotations?.[SERVICE_ACCOUNT_NAME_ANNOTATION] === sa.metadata.name)
          enqueueSecret(s);
    };
    secrets.addHandler({ onAdd: enqueueSecret, onUpdate: (_o, n) => enqueueSecret(n) });
    accounts.addHandler({ onAdd: enqueueSecretsOf, onUpdate: (_o, n) => enqueueSecretsOf(n), onDelete: enqueueSecretsOf });

    /** The live ServiceAccount (the cache may lag behind a recreate), or undefined when it does not exist. */
    async function liveAccount(namespace: string, name: string): Promise<KObject | undefined> {
      try {
        return await ctx.client.get<KObject>(SERVICEACCOUNTS, namespace, name);
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    }

    async function sync(key: string): Promise<void> {
      const secret = secrets.store.get(key);
      if (!secret || !isTokenSecret(secret) || secret.metadata.deletionTimestamp) return;
      const namespace = secret.metadata.namespace!;
      const saName = secret.metadata.annotations?.[SERVICE_ACCOUNT_NAME_ANNOTATION];
      if (!saName) return; // the API server refuses such secrets; nothing to fill
      const wantedUid = secret.metadata.annotations?.[SERVICE_ACCOUNT_UID_ANNOTATION];
      let sa = accounts.store.getByName(namespace, saName);
      if (!sa || (wantedUid && sa.metadata.uid !== wantedUid)) sa = await liveAccount(namespace, saName);
      if (!sa || (wantedUid && sa.metadata.uid !== wantedUid)) {
        await deleteSecret(secret);
        return;
      }
      const data = secret.data ?? {};
      const caPem = ctx.options.rootCAPem;
      const complete = !!data['token'] && data['namespace'] === b64(namespace) && (!caPem || data['ca.crt'] === b64(caPem)) && wantedUid === sa.metadata.uid;
      if (complete) return;
      const token = data['token'] ? undefined : await requestToken(secret, sa);
      const updated = structuredClone(secret);
      updated.metadata.annotations = { ...updated.metadata.annotations, [SERVICE_ACCOUNT_UID_ANNOTATION]: sa.metadata.uid! };
      updated.data = { ...data, namespace: b64(namespace), ...(caPem ? { 'ca.crt': b64(caPem) } : {}), ...(token ? { token: b64(token) } : {}) };
      try {
        await ctx.client.update(SECRETS, namespace, updated);
      } catch (e) {
        if (isNotFound(e)) return;
        if (isConflict(e)) queue.add(key); // a newer version will be synced
        else throw e;
      }
    }

    async function requestToken(secret: SecretLike, sa: KObject): Promise<string> {
      const review = (await ctx.client.post(SERVICEACCOUNTS, secret.metadata.namespace!, sa.metadata.name!, 'token', {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: {
          expirationSeconds: LEGACY_TOKEN_SECONDS,
          boundObjectRef: { apiVersion: 'v1', kind: 'Secret', name: secret.metadata.name, uid: secret.metadata.uid },
        },
      })) as { status?: { token?: string } };
      const token = review.status?.token;
      if (!token) throw new Error(`TokenRequest for ${secret.metadata.namespace}/${sa.metadata.name} returned no token`);
      return token;
    }

    async function deleteSecret(secret: SecretLike): Promise<void> {
      try {
        await ctx.client.delete(SECRETS, secret.metadata.namespace!, secret.metadata.name!, { preconditions: { uid: secret.metadata.uid } });
      } catch (e) {
        if (!isNotFound(e) && !isConflict(e)) throw e;
      }
    }

    let stopWorkers: (() => Promise<void>) | undefined;
    return {
      name: 'serviceaccount-token',
      run() {
        stopWorkers = runWorkers(queue, workersFor(ctx.options, 'serviceaccount-token', 1), sync, {
          onError: (key, err) => ctx.log(`serviceaccount-token: secret ${key}: ${errorMessage(err)}`),
        });
      },
      async stop() {
        queue.shutdown();
        await stopWorkers?.();
      },
    };
  },
};
