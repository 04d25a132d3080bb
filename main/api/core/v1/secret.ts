/**
 * core/v1 Secret: confidential data (base64 `data`, write-only `stringData` folded into `data`), with a
 * `type` that fixes which keys must be present, a 1 MiB cap, and optional immutability.
 */
import { FieldPath, forbidden, immutable, invalid, required, tooLong, type FieldError } from '../../meta/field-errors.js';
import { isConfigMapKey } from '../../meta/name-validation.js';
import type { KObject } from '../../meta/object.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { defineResource } from '../../resource.js';
import { bool, bytes, def, map, str, stringMap } from '../../schema/builder.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';
import { base64DecodedLength, MAX_PAYLOAD_BYTES } from './config-map.js';

export interface Secret extends KObject {
  immutable?: boolean;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  type?: string;
}

export const SECRET_TYPES = {
  opaque: 'Opaque',
  serviceAccountToken: 'kubernetes.io/service-account-token',
  dockercfg: 'kubernetes.io/dockercfg',
  dockerConfigJson: 'kubernetes.io/dockerconfigjson',
  basicAuth: 'kubernetes.io/basic-auth',
  sshAuth: 'kubernetes.io/ssh-auth',
  tls: 'kubernetes.io/tls',
  bootstrapToken: 'bootstrap.kubernetes.io/token',
} as const;

export const SERVICE_ACCOUNT_NAME_ANNOTATION = 'kubernetes.io/service-account.name';

export const SecretSchema = def(
  'io.k8s.api.core.v1.Secret',
  'Holds a small amount of confidential data such as a password, token or key.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    immutable: bool('When true, data can never change again (only metadata can); cannot be unset.'),
    data: map(bytes(''), 'Secret entries, base64-encoded in JSON; keys are letters, digits, "-", "_" or ".".'),
    stringData: stringMap('Write-only convenience: plain-text entries merged into data on write (winning over data); never returned.'),
    type: str('How the data is to be used, e.g. Opaque (the default), kubernetes.io/tls or kubernetes.io/dockerconfigjson.'),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'Secret' }] },
);

function base64OfUtf8(s: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(s)) bin += String.fromCharCode(b);
  return btoa(bin);
}

function decodeBase64(b64: string): string {
  try {
    const bin = atob(b64);
    return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    return '';
  }
}

/** Go's encoding/json error for content that is not a JSON object, as Secret validation reports it. */
function jsonObjectError(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return 'unexpected end of JSON input';
  let v: unknown;
  try {
    v = JSON.parse(trimmed);
  } catch {
    return jsonSyntaxError(trimmed);
  }
  if (v === null) return undefined; // null unmarshals into a map without error
  if (Array.isArray(v)) return 'json: cannot unmarshal array into Go value of type map[string]interface {}';
  const kind = typeof v === 'boolean' ? 'bool' : typeof v === 'object' ? '' : typeof v;
  return kind ? `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}` : undefined;
}

/** The common encoding/json syntax errors: a bad first character, a broken literal, or truncation. */
function jsonSyntaxError(text: string): string {
  const first = text[0]!;
  const literal = first === 't' ? 'true' : first === 'f' ? 'false' : first === 'n' ? 'null' : '';
  if (literal) {
    for (let i = 1; i < literal.length; i++) {
      if (i >= text.length) return 'unexpected end of JSON input';
      if (text[i] !== literal[i]) return `invalid character '${text[i]}' in literal ${literal} (expecting '${literal[i]}')`;
    }
  }
  if (!/[{["0-9tfn-]/.test(first)) return `invalid character '${first}' looking for beginning of value`;
  return 'unexpected end of JSON input';
}

export function validateSecret(sec: Secret): FieldError[] {
  const errs: FieldError[] = [];
  const dataPath = FieldPath.root('data');
  const data = sec.data ?? {};
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(dataPath.key(k), k, m));
    total += base64DecodedLength(v);
  }
  if (total > MAX_PAYLOAD_BYTES) errs.push(tooLong(dataPath, '', MAX_PAYLOAD_BYTES));
  const has = (k: string) => Object.prototype.hasOwnProperty.call(data, k);
  switch (sec.type ?? '') {
    case SECRET_TYPES.serviceAccountToken:
      if (!sec.metadata.annotations?.[SERVICE_ACCOUNT_NAME_ANNOTATION])
        errs.push(required(FieldPath.root('metadata').child('annotations').key(SERVICE_ACCOUNT_NAME_ANNOTATION), ''));
      break;
    case SECRET_TYPES.dockercfg:
    case SECRET_TYPES.dockerConfigJson: {
      const key = sec.type === SECRET_TYPES.dockercfg ? '.dockercfg' : '.dockerconfigjson';
      if (!has(key)) {
        errs.push(required(dataPath.key(key), ''));
        break;
      }
      const problem = jsonObjectError(decodeBase64(data[key]!));
      if (problem) errs.push(invalid(dataPath.key(key), '<secret contents redacted>', problem));
      break;
    }
    case SECRET_TYPES.basicAuth:
      if (!has('username') && !has('password')) {
        errs.push(required(dataPath.key('username'), ''));
        errs.push(required(dataPath.key('password'), ''));
      }
      break;
    case SECRET_TYPES.sshAuth:
      if (!data['ssh-privatekey']) errs.push(required(dataPath.key('ssh-privatekey'), ''));
      break;
    case SECRET_TYPES.tls:
      if (!has('tls.crt')) errs.push(required(dataPath.key('tls.crt'), ''));
      if (!has('tls.key')) errs.push(required(dataPath.key('tls.key'), ''));
      break;
  }
  return errs;
}

const sameData = (a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean => {
  const ka = Object.keys(a ?? {}).sort();
  const kb = Object.keys(b ?? {}).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a![k] === b![k]);
};

export function validateSecretUpdate(sec: Secret, old: Secret): FieldError[] {
  const errs: FieldError[] = [];
  if ((sec.type ?? '') !== (old.type ?? '')) errs.push(immutable('type', sec.type ?? ''));
  if (old.immutable) {
    const msg = 'field is immutable when `immutable` is set';
    if (!sec.immutable) errs.push(forbidden('immutable', msg));
    if (!sameData(sec.data, old.data)) errs.push(forbidden('data', msg));
  }
  return [...errs, ...validateSecret(sec)];
}

export const secrets = defineResource<Secret>({
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  singular: 'secret',
  namespaced: true,
  schema: SecretSchema,
  defaults(sec) {
    if (!sec.type) sec.type = SECRET_TYPES.opaque;
    // stringData is write-only: it is folded into data (overriding it) and never stored.
    if (sec.stringData !== undefined) {
      const entries = Object.entries(sec.stringData ?? {});
      if (entries.length) {
        sec.data = { ...(sec.data ?? {}) };
        for (const [k, v] of entries) sec.data[k] = base64OfUtf8(v);
      }
      delete sec.stringData;
    }
  },
  strategy: {
    validate: validateSecret,
    validateUpdate: validateSecretUpdate,
  },
  fieldSelectors: { type: (s) => s.type ?? '' },
  columns: [
    nameColumn<Secret>(),
    col<Secret>('Type', (s) => s.type ?? '', { description: 'How the secret data is meant to be used.' }),
    col<Secret>('Data', (s) => Object.keys(s.data ?? {}).length, { description: 'Number of data entries.' }),
    ageColumn<Secret>(),
  ],
});
