/**
 * The data dir's certificates: created on first start, reused afterwards.
 *   <dir>/pki/ca.{crt,key}         cluster CA (signs serving and client certificates)
 *   <dir>/pki/apiserver.{crt,key}  serving certificate for 127.0.0.1, localhost, kubernetes.default.svc, ...
 *   <dir>/pki/admin.{crt,key}      the desktop user's client certificate (O=system:masters)
 *   <dir>/pki/sa.{key,pub}         service-account token signing key
 * Private keys are written with mode 0600.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { createCertificateAuthority, createSigningKey, issueCertificate, type KeyPairPem } from './certificate-authority.js';

export const ADMIN_USER = 'pilothouse-admin';
export const ADMIN_GROUPS = ['system:masters'];

export interface ClusterPki {
  ca: KeyPairPem;
  apiserver: KeyPairPem;
  admin: KeyPairPem;
  serviceAccountKey: { privatePem: string; publicPem: string };
}

const SERVING_DNS = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
const SERVING_IPS = ['127.0.0.1', '::1', '10.96.0.1'];

async function writeSecret(path: string, data: string): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, data, { mode: 0o600 });
  await rename(tmp, path);
}

async function loadPair(dir: string, name: string): Promise<KeyPairPem> {
  return { certPem: await readFile(join(dir, `${name}.crt`), 'utf8'), keyPem: await readFile(join(dir, `${name}.key`), 'utf8') };
}

async function savePair(dir: string, name: string, pair: KeyPairPem): Promise<void> {
  await writeSecret(join(dir, `${name}.key`), pair.keyPem);
  await writeFile(join(dir, `${name}.crt`), pair.certPem, { mode: 0o644 });
}

/** Loads the PKI from `<dataDir>/pki`, creating whatever is missing. */
export async function ensureClusterPki(dataDir: string): Promise<ClusterPki> {
  const dir = join(dataDir, 'pki');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const has = (name: string) => existsSync(join(dir, `${name}.crt`)) && existsSync(join(dir, `${name}.key`));

  let ca: KeyPairPem;
  if (has('ca')) ca = await loadPair(dir, 'ca');
  else {
    ca = await createCertificateAuthority();
    await savePair(dir, 'ca', ca);
  }
  const issueIfMissing = async (name: string, make: () => Promise<KeyPairPem>) => {
    if (has(name)) return loadPair(dir, name);
    const pair = await make();
    await savePair(dir, name, pair);
    return pair;
  };
  const apiserver = await issueIfMissing('apiserver', () =>
    issueCertificate(ca, { commonName: 'kube-apiserver', usage: 'server', dnsNames: SERVING_DNS, ipAddresses: SERVING_IPS }));
  const admin = await issueIfMissing('admin', () =>
    issueCertificate(ca, { commonName: ADMIN_USER, organizations: ADMIN_GROUPS, usage: 'client' }));
  let serviceAccountKey: ClusterPki['serviceAccountKey'];
  if (existsSync(join(dir, 'sa.key')) && existsSync(join(dir, 'sa.pub'))) {
    serviceAccountKey = { privatePem: await readFile(join(dir, 'sa.key'), 'utf8'), publicPem: await readFile(join(dir, 'sa.pub'), 'utf8') };
  } else {
    serviceAccountKey = await createSigningKey();
    await writeSecret(join(dir, 'sa.key'), serviceAccountKey.privatePem);
    await writeFile(join(dir, 'sa.pub'), serviceAccountKey.publicPem);
  }
  return { ca, apiserver, admin, serviceAccountKey };
}
