/**
 * Splits a request path into what kube-apiserver's RequestInfoFactory calls RequestInfo: API group and
 * version, namespace, resource, name, subresource and the Kubernetes verb.
 */

export type RequestVerb =
  | 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection' | 'connect';

export interface RequestInfo {
  /** False for /version, /healthz, /openapi/..., discovery roots. */
  isResourceRequest: boolean;
  path: string;
  verb: RequestVerb | string;
  apiPrefix: 'api' | 'apis' | '';
  group: string;
  version: string;
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
  /** Path segments after /api or /apis. */
  parts: string[];
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function parseRequestInfo(method: string, pathname: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false, path: pathname, verb: method.toLowerCase(), apiPrefix: '', group: '', version: '',
    namespace: '', resource: '', name: '', subresource: '', parts: [],
  };
  const segments = pathname.split('/').filter((s) => s.length > 0).map(decodeURIComponent);
  const prefix = segments[0];
  if (prefix !== 'api' && prefix !== 'apis') return info;
  info.apiPrefix = prefix;
  let rest = segments.slice(1);
  if (prefix === 'apis') {
    if (rest.length < 1) return info;
    info.group = rest[0]!;
    rest = rest.slice(1);
  }
  if (rest.length < 1) return info;
  info.version = rest[0]!;
  rest = rest.slice(1);
  // The deprecated `/watch/` prefix (`/api/v1/watch/namespaces/default/pods`), still served upstream.
  const watchPrefix = rest[0] === 'watch' && rest.length > 1;
  if (watchPrefix) rest = rest.slice(1);
  info.parts = rest;
  if (rest.length < 1) return info;
  info.isResourceRequest = true;

  if (rest[0] === 'namespaces' && rest.length > 1) {
    info.namespace = rest[1]!;
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2]!)) rest = rest.slice(2);
  }
  info.resource = rest[0] ?? '';
  info.name = rest[1] ?? '';
  info.subresource = rest[2] ?? '';
  if (rest.length > 3) info.subresource = rest.slice(2).join('/');

  const watch = query.get('watch');
  const isWatch = watch === 'true' || watch === '1';
  switch (watchPrefix ? 'WATCH' : method) {
    case 'WATCH':
      info.verb = 'watch';
      break;
    case 'GET':
    case 'HEAD':
      info.verb = info.name ? (isWatch ? 'watch' : 'get') : isWatch ? 'watch' : 'list';
      break;
    case 'POST':
      info.verb = 'create';
      break;
    case 'PUT':
      info.verb = 'update';
      break;
    case 'PATCH':
      info.verb = 'patch';
      break;
    case 'DELETE':
      info.verb = info.name ? 'delete' : 'deletecollection';
      break;
    default:
      info.verb = method.toLowerCase();
  }
  return info;
}
