/**
 * Creates the cluster's certificates with ECDSA P-256 keys: a self-signed CA, the API server's serving
 * certificate (127.0.0.1, localhost and the in-cluster `kubernetes` names) and client certificates whose
 * subject is the identity (CN = user, O = groups). @peculiar/x509 is loaded only when something is issued,
 * so a normal start (certificates already on disk) does not pay for it.
 */
import { webcrypto } from 'node:crypto';

export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

type X509 = typeof import('@peculiar/x509');
let x509Module: Promise<X509> | undefined;
async function x509(): Promise<X509> {
  // @peculiar/x509 uses decorator metadata and needs the Reflect polyfill loaded first.
  x509Module ??= import('reflect-metadata').then(() => import('@peculiar/x509')).then((m) => {
    m.cryptoProvider.set(webcrypto as never);
    return m;
  });
  return x509Module;
}

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

async function exportKey(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').trim();
  return `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`;
}

async function importKey(pem: string): Promise<CryptoKey> {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return webcrypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1');
}

function subjectName(cn: string, orgs: string[] = []): string {
  const esc = (v: string) => v.replace(/([,+"\\<>;=])/g, '\\$1');
  return [`CN=${esc(cn)}`, ...orgs.map((o) => `O=${esc(o)}`)].join(', ');
}

export async function createCertificateAuthority(commonName = 'pilothouse-ca'): Promise<KeyPairPem> {
  const m = await x509();
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const cert = await m.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: subjectName(commonName),
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + TEN_YEARS_MS),
    keys: keys as never,
    signingAlgorithm: ALG,
    extensions: [
      new m.BasicConstraintsExtension(true, undefined, true),
      new m.KeyUsagesExtension(m.KeyUsageFlags.keyCertSign | m.KeyUsageFlags.cRLSign | m.KeyUsageFlags.digitalSignature, true),
      await m.SubjectKeyIdentifierExtension.create(keys.publicKey as never),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await exportKey(keys.privateKey) };
}

export interface IssueRequest {
  commonName: string;
  organizations?: string[];
  /** Serving certificate SANs. */
  dnsNames?: string[];
  ipAddresses?: string[];
  usage: 'server' | 'client';
  validDays?: number;
}

export async function issueCertificate(ca: KeyPairPem, req: IssueRequest): Promise<KeyPairPem> {
  const m = await x509();
  const caCert = new m.X509Certificate(ca.certPem);
  const caKey = await importKey(ca.keyPem);
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const extensions: import('@peculiar/x509').Extension[] = [
    new m.BasicConstraintsExtension(false, undefined, true),
    new m.KeyUsagesExtension(m.KeyUsageFlags.digitalSignature | m.KeyUsageFlags.keyEncipherment, true),
    new m.ExtendedKeyUsageExtension([req.usage === 'server' ? m.ExtendedKeyUsage.serverAuth : m.ExtendedKeyUsage.clientAuth]),
    await m.AuthorityKeyIdentifierExtension.create(caCert),
  ];
  const sans = [
    ...(req.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(req.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (sans.length) extensions.push(new m.SubjectAlternativeNameExtension(sans));
  const cert = await m.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: subjectName(req.commonName, req.organizations),
    issuer: caCert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + (req.validDays ?? 3650) * 24 * 3600 * 1000),
    signingKey: caKey as never,
    publicKey: keys.publicKey as never,
    signingAlgorithm: ALG,
    extensions,
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await exportKey(keys.privateKey) };
}

/** A bare signing key pair (service-account token signing). */
export async function createSigningKey(): Promise<{ privatePem: string; publicPem: string }> {
  const { generateKeyPairSync } = await import('node:crypto');
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
