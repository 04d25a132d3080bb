/**
 * Errors the API answers with, as metav1.Status. Every failure below the HTTP layer throws an ApiError;
 * the HTTP layer serializes it. Constructors mirror apimachinery's k8s.io/apimachinery/pkg/api/errors so
 * kubectl prints what it prints against Kubernetes.
 */
import { errorBody, errorLine, type FieldError } from '../../api/meta/field-errors.js';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toStatus(): Status {
    const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) s.details = this.details;
    return s;
  }
}

/** How errors name a resource: group + plural (details.kind is the plural for these reasons). */
export interface GroupResource {
  group: string;
  resource: string;
}

const qualified = (gr: GroupResource) => (gr.group ? `${gr.resource}.${gr.group}` : gr.resource);
const grDetails = (gr: GroupResource, name: string): StatusDetails => {
  const d: StatusDetails = { name, kind: gr.resource };
  if (gr.group) d.group = gr.group;
  return d;
};

export const notFound = (gr: GroupResource, name: string) =>
  new ApiError(404, 'NotFound', `${qualified(gr)} "${name}" not found`, grDetails(gr, name));

export const alreadyExists = (gr: GroupResource, name: string) =>
  new ApiError(409, 'AlreadyExists', `${qualified(gr)} "${name}" already exists`, grDetails(gr, name));

export const conflict = (gr: GroupResource, name: string, why: string) =>
  new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`, grDetails(gr, name));

export const OBJECT_MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

/** 422 with one cause per field error; `kind` is the Kind (not the resource), as upstream's NewInvalid. */
export function invalid(group: string, kind: string, name: string, errs: FieldError[]): ApiError {
  const lines = [...new Set(errs.map(errorLine))];
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const message =
    lines.length === 1
      ? `${qualifiedKind} "${name}" is invalid: ${lines[0]}`
      : `${qualifiedKind} "${name}" is invalid: [${lines.join(', ')}]`;
  const details: StatusDetails = {
    name,
    kind,
    causes: errs.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field })),
  };
  if (group) details.group = group;
  return new ApiError(422, 'Invalid', message, details);
}

export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message);

export const forbidden = (gr: GroupResource, name: string, why: string) => {
  const what = name ? `${qualified(gr)} "${name}"` : qualified(gr);
  return new ApiError(403, 'Forbidden', `${what} is forbidden: ${why}`, grDetails(gr, name));
};

export const unauthorized = () => new ApiError(401, 'Unauthorized', 'Unauthorized');

export const methodNotSupported = (gr: GroupResource, action: string) =>
  new ApiError(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${qualified(gr)}"`, { kind: gr.resource, ...(gr.group ? { group: gr.group } : {}) });

export const notAcceptable = (message: string) => new ApiError(406, 'NotAcceptable', message);

export const unsupportedMediaType = (contentType: string) =>
  new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf${contentType ? '' : ''}`);

export const requestEntityTooLarge = (message: string) => new ApiError(413, 'RequestEntityTooLarge', message);

export const gone = (message: string) => new ApiError(410, 'Expired', message);

export const tooManyRequests = (message: string, details?: StatusDetails) => new ApiError(429, 'TooManyRequests', message, details);

export const internalError = (err: unknown) =>
  new ApiError(500, 'InternalError', `Internal error occurred: ${err instanceof Error ? err.message : String(err)}`, {
    causes: [{ message: err instanceof Error ? err.message : String(err) }],
  });

export const serviceUnavailable = (message: string) => new ApiError(503, 'ServiceUnavailable', message);

export const pathNotFound = () => new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});

export const successStatus = (details?: StatusDetails): Status => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Success',
  code: 200,
  ...(details ? { details } : {}),
});
