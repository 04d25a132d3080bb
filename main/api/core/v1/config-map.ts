/**
 * core/v1 ConfigMap: non-confidential configuration as string (`data`) and binary (`binaryData`)
 * entries. Keys follow the config-key format, the whole payload is capped at 1 MiB, and `immutable`
 * freezes the content for good.
 */
import { FieldPath, forbidden, invalid, tooLong, type FieldError } from '../../meta/field-errors.js';
import { isConfigMapKey } from '../../meta/name-validation.js';
import type { KObject } from '../../meta/object.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { defineResource } from '../../resource.js';
import { bool, bytes, def, map, stringMap } from '../../schema/builder.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';

export interface ConfigMap extends KObject {
  immutable?: boolean;
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}

/** Upper bound on the payload of a ConfigMap or Secret (core.MaxSecretSize). */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

const utf8 = new TextEncoder();
export const utf8Length = (s: string): number => utf8.encode(s).length;

/** Decoded length of a base64 string without decoding it. */
export function base64DecodedLength(b64: string): number {
  const s = b64.replace(/[\r\n]/g, '');
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((s.length * 3) / 4) - pad);
}

export const ConfigMapSchema = def(
  'io.k8s.api.core.v1.ConfigMap',
  'Configuration data for pods to consume, as files, environment variables or command-line arguments.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    immutable: bool('When true, data and binaryData can never change again (only metadata can); cannot be unset.'),
    data: stringMap('UTF-8 configuration entries; keys are letters, digits, "-", "_" or ".", and must not also appear in binaryData.'),
    binaryData: map(bytes(''), 'Binary configuration entries (base64 in JSON); keys must not also appear in data.'),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'ConfigMap' }] },
);

const same = (a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean => {
  const ka = Object.keys(a ?? {}).sort();
  const kb = Object.keys(b ?? {}).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a![k] === b![k]);
};

export function validateConfigMap(cm: ConfigMap): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  const dataPath = FieldPath.root('data');
  for (const [k, v] of Object.entries(cm.data ?? {})) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(dataPath.key(k), k, m));
    if (cm.binaryData && k in cm.binaryData) errs.push(invalid(dataPath.key(k), k, 'duplicate of key present in binaryData'));
    total += utf8Length(v);
  }
  const binPath = FieldPath.root('binaryData');
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(binPath.key(k), k, m));
    total += base64DecodedLength(v);
  }
  // Upstream reports the size against the whole object, whose path prints as "[]".
  if (total > MAX_PAYLOAD_BYTES) errs.push(tooLong('[]', '', MAX_PAYLOAD_BYTES));
  return errs;
}

export function validateConfigMapUpdate(cm: ConfigMap, old: ConfigMap): FieldError[] {
  const errs: FieldError[] = [];
  if (old.immutable) {
    const msg = 'field is immutable when `immutable` is set';
    if (!cm.immutable) errs.push(forbidden('immutable', msg));
    if (!same(cm.data, old.data)) errs.push(forbidden('data', msg));
    if (!same(cm.binaryData, old.binaryData)) errs.push(forbidden('binaryData', msg));
  }
  return [...errs, ...validateConfigMap(cm)];
}

export const configmaps = defineResource<ConfigMap>({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  shortNames: ['cm'],
  namespaced: true,
  schema: ConfigMapSchema,
  strategy: {
    validate: validateConfigMap,
    validateUpdate: validateConfigMapUpdate,
  },
  columns: [
    nameColumn<ConfigMap>(),
    col<ConfigMap>('Data', (cm) => Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length, {
      description: 'Number of data and binaryData entries.',
    }),
    ageColumn<ConfigMap>(),
  ],
});
