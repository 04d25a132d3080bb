/**
 * Pod volume validation (upstream validateVolumes / validateVolumeSource): unique DNS-label names, exactly
 * one source, and the required fields of the common sources.
 */
import { FieldPath, duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../meta/field-errors.js';
import { isObject } from '../../meta/object.js';
import { isDNS1123Subdomain } from '../../meta/name-validation.js';
import type { Volume } from './pod-types.js';
import { validateFieldRef, validateLocalDescendingPath } from './container-validation.js';
import { dnsLabel, quantityErrors } from './validation-util.js';
import { VOLUME_SOURCE_FIELDS } from './volume-source-fields.js';

type Rec = Record<string, unknown>;
const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
const VOLUME_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function validateMode(mode: unknown, p: FieldPath): FieldError[] {
  if (typeof mode !== 'number') return [];
  return mode < 0 || mode > 0o777 ? [invalid(p, mode, 'must be a number between 0 and 0777 (octal), both inclusive')] : [];
}

function validateKeyToPaths(items: unknown, p: FieldPath): FieldError[] {
  if (!Array.isArray(items)) return [];
  return items.flatMap((it: Rec, i) => {
    const ip = p.index(i);
    const errs: FieldError[] = [];
    if (!str(it['key'])) errs.push(required(ip.child('key')));
    if (!str(it['path'])) errs.push(required(ip.child('path')));
    else errs.push(...validateLocalDescendingPath(str(it['path']), ip.child('path')));
    errs.push(...validateMode(it['mode'], ip.child('mode')));
    return errs;
  });
}

function requireFields(src: Rec, fields: string[], p: FieldPath): FieldError[] {
  return fields.filter((f) => src[f] === undefined || src[f] === '' || (Array.isArray(src[f]) && (src[f] as unknown[]).length === 0)).map((f) => required(p.child(f)));
}

function validateDownwardItems(items: unknown, p: FieldPath): FieldError[] {
  if (!Array.isArray(items)) return [];
  return items.flatMap((it: Rec, i) => {
    const ip = p.index(i);
    const errs: FieldError[] = [];
    if (!str(it['path'])) errs.push(required(ip.child('path')));
    else errs.push(...validateLocalDescendingPath(str(it['path']), ip.child('path')));
    errs.push(...validateMode(it['mode'], ip.child('mode')));
    if (isObject(it['fieldRef'])) errs.push(...validateFieldRef(it['fieldRef'], ip.child('fieldRef'), VOLUME_FIELD_PATHS));
    if (isObject(it['fieldRef']) && isObject(it['resourceFieldRef']))
      errs.push(invalid(ip, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
    return errs;
  });
}

/** The per-source checks a user is likely to hit; back-ends we never run only get their required fields. */
export function validateSource(kind: string, src: Rec, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  switch (kind) {
    case 'hostPath': {
      if (!str(src['path'])) errs.push(required(p.child('path')));
      const t = src['type'];
      if (t !== undefined && !HOST_PATH_TYPES.includes(str(t))) errs.push(notSupported(p.child('type'), t, HOST_PATH_TYPES));
      break;
    }
    case 'emptyDir':
      if (src['sizeLimit'] !== undefined) errs.push(...quantityErrors(src['sizeLimit'], p.child('sizeLimit')));
      break;
    case 'secret':
      if (!str(src['secretName'])) errs.push(required(p.child('secretName')));
      errs.push(...validateMode(src['defaultMode'], p.child('defaultMode')), ...validateKeyToPaths(src['items'], p.child('items')));
      break;
    case 'configMap':
      errs.push(...isDNS1123Subdomain(str(src['name'])).map((m) => invalid(p.child('name'), str(src['name']), m)));
      errs.push(...validateMode(src['defaultMode'], p.child('defaultMode')), ...validateKeyToPaths(src['items'], p.child('items')));
      break;
    case 'persistentVolumeClaim':
      if (!str(src['claimName'])) errs.push(required(p.child('claimName')));
      break;
    case 'nfs':
      errs.push(...requireFields(src, ['server', 'path'], p));
      if (str(src['path']) && !str(src['path']).startsWith('/')) errs.push(invalid(p.child('path'), src['path'], 'must be an absolute path'));
      break;
    case 'downwardAPI':
      errs.push(...validateMode(src['defaultMode'], p.child('defaultMode')), ...validateDownwardItems(src['items'], p.child('items')));
      break;
    case 'projected':
      errs.push(...validateMode(src['defaultMode'], p.child('defaultMode')));
      (Array.isArray(src['sources']) ? (src['sources'] as Rec[]) : []).forEach((s, i) => {
        const sp = p.child('sources').index(i);
        const set = ['secret', 'downwardAPI', 'configMap', 'serviceAccountToken', 'clusterTrustBundle'].filter((k) => s[k] !== undefined);
        if (set.length === 0) errs.push(required(sp, 'must specify exactly 1 projected volume type'));
        for (const k of set.slice(1)) errs.push(forbidden(sp.child(k), 'may not specify more than 1 volume type per source'));
        const sat = s['serviceAccountToken'];
        if (isObject(sat)) {
          if (!str(sat['path'])) errs.push(required(sp.child('serviceAccountToken').child('path')));
          const exp = sat['expirationSeconds'];
          if (typeof exp === 'number' && exp < 600)
            errs.push(invalid(sp.child('serviceAccountToken').child('expirationSeconds'), exp, 'may not specify a duration less than 10 minutes'));
        }
        if (isObject(s['downwardAPI'])) errs.push(...validateDownwardItems(s['downwardAPI']['items'], sp.child('downwardAPI').child('items')));
        for (const k of ['secret', 'configMap']) {
          if (isObject(s[k])) errs.push(...validateKeyToPaths(s[k]['items'], sp.child(k).child('items')));
        }
      });
      break;
    case 'ephemeral':
      if (!isObject(src['volumeClaimTemplate'])) errs.push(required(p.child('volumeClaimTemplate')));
      break;
    case 'csi':
      if (!str(src['driver'])) errs.push(required(p.child('driver')));
      break;
    case 'image':
      if (!str(src['reference'])) errs.push(required(p.child('reference')));
      break;
    case 'gitRepo':
      errs.push(...requireFields(src, ['repository'], p));
      break;
    case 'iscsi':
      errs.push(...requireFields(src, ['targetPortal', 'iqn'], p));
      break;
    case 'rbd':
      errs.push(...requireFields(src, ['monitors', 'image'], p));
      break;
    case 'cephfs':
      errs.push(...requireFields(src, ['monitors'], p));
      break;
    case 'glusterfs':
      errs.push(...requireFields(src, ['endpoints', 'path'], p));
      break;
    case 'local':
      errs.push(...requireFields(src, ['path'], p));
      break;
    default:
      break;
  }
  return errs;
}

/** Returns the errors and the set of valid volume names (for volumeMounts references). */
export function validateVolumes(volumes: Volume[] | undefined, p: FieldPath): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (volumes ?? []).forEach((v, i) => {
    const ip = p.index(i);
    const before = errs.length;
    if (!v.name) errs.push(required(ip.child('name')));
    else errs.push(...dnsLabel(v.name, ip.child('name')));
    if (v.name && names.has(v.name)) errs.push(duplicate(ip.child('name'), v.name));
    const set = VOLUME_SOURCE_FIELDS.filter((k) => v[k] !== undefined && v[k] !== null);
    if (set.length === 0) errs.push(required(ip, 'must specify a volume type'));
    for (const k of set.slice(1)) errs.push(forbidden(ip.child(k), 'may not specify more than 1 volume type'));
    if (set.length === 1) {
      const src = v[set[0]!];
      errs.push(...validateSource(set[0]!, isObject(src) ? src : {}, ip.child(set[0]!)));
    }
    // Like upstream, only volumes without errors can be mounted; mounts of broken ones report Not found.
    if (errs.length === before) names.add(v.name);
  });
  return { errs, names };
}
