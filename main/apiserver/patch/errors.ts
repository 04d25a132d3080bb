/**
 * Errors raised by the patch engines. Each carries the HTTP status upstream answers with, so the API
 * server can turn it into a `metav1.Status` without knowing which engine failed:
 *   400 BadRequest  — the patch document itself is malformed (undecodable JSON patch, bad directive lists);
 *   409 Conflict    — server-side apply ownership conflicts (see ApplyConflictError);
 *   422 Invalid     — a well-formed patch that cannot be applied to this object (failed `test`, missing path);
 *   500 (no reason) — upstream returns these errors unconverted, which the API server reports as a
 *                     Status with code 500, empty reason and the raw message (e.g. an unknown `$patch` value).
 */

export type PatchErrorCode = 400 | 409 | 422 | 500;

export class PatchError extends Error {
  /**
   * When set, the text upstream puts in the Status message instead of `message`. kube-apiserver wraps
   * JSON-patch application failures (and a few strategic-merge failures) in a generic 422 whose message is
   * "the server rejected our request due to an error in our request"; the precise cause stays in `message`
   * for logs and tests.
   */
  readonly statusMessage?: string;

  constructor(
    message: string,
    readonly code: PatchErrorCode = 422,
    statusMessage?: string,
  ) {
    super(message);
    this.name = 'PatchError';
    if (statusMessage !== undefined) this.statusMessage = statusMessage;
  }

  /** The Status `reason` upstream pairs with this code ('' = omitted). */
  get reason(): string {
    switch (this.code) {
      case 400:
        return 'BadRequest';
      case 409:
        return 'Conflict';
      case 422:
        return 'Invalid';
      default:
        return '';
    }
  }
}

/** The message kube-apiserver's generic 422 carries (apimachinery NewGenericServerResponse). */
export const GENERIC_UNPROCESSABLE = 'the server rejected our request due to an error in our request';

export interface ApplyConflict {
  /** Display form of the other manager, e.g. `"kubectl-client-side-apply" using apps/v1`. */
  manager: string;
  /** Path as upstream prints it, e.g. `.spec.template.spec.containers[name="nginx"].image`. */
  field: string;
}

/**
 * Server-side apply found fields whose values it would change but which another manager owns.
 * The API server answers 409 reason Conflict with one cause per conflict:
 * `{type: "FieldManagerConflict", message: "conflict with <manager>", field: <field>}`.
 */
export class ApplyConflictError extends PatchError {
  constructor(
    message: string,
    readonly conflicts: ApplyConflict[],
  ) {
    super(message, 409);
    this.name = 'ApplyConflictError';
  }

  /** The Status causes upstream attaches (metav1.CauseTypeFieldManagerConflict). */
  get causes(): { type: 'FieldManagerConflict'; message: string; field: string }[] {
    return this.conflicts.map((c) => ({ type: 'FieldManagerConflict', message: `conflict with ${c.manager}`, field: c.field }));
  }
}
