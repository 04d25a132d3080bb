/**
 * Label and field selector filtering of objects of one resource (the predicate of list and watch).
 */
import { FieldSelectorParseError, matchesFields, parseFieldSelector, unsupportedFieldLabelMessage, type FieldRequirement } from '../../api/meta/field-selector.js';
import { matchesLabels, parseLabelSelector, SelectorParseError, type Selector } from '../../api/meta/label-selector.js';
import type { KObject } from '../../api/meta/object.js';
import type { ResourceDescriptor } from '../../api/resource.js';
import { badRequest } from '../http/api-error.js';

export interface ObjectFilter {
  labels: Selector;
  fields: FieldRequirement[];
  /** True when the filter selects everything (fast path). */
  everything: boolean;
  matches(obj: KObject): boolean;
}

/** Field labels every resource supports. */
const COMMON_FIELDS: Record<string, (o: KObject) => string> = {
  'metadata.name': (o) => o.metadata.name ?? '',
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};

export function fieldGetter(d: ResourceDescriptor, field: string): ((o: KObject) => string) | undefined {
  return COMMON_FIELDS[field] ?? d.fieldSelectors?.[field];
}

/** Parses `labelSelector` / `fieldSelector` query values; bad input → 400 BadRequest as upstream words it. */
export function buildFilter(d: ResourceDescriptor, labelSelector: string | null, fieldSelector: string | null): ObjectFilter {
  let labels: Selector = [];
  let fields: FieldRequirement[] = [];
  try {
    if (labelSelector) labels = parseLabelSelector(labelSelector);
  } catch (err) {
    if (err instanceof SelectorParseError) throw badRequest(err.message);
    throw err;
  }
  try {
    if (fieldSelector) fields = parseFieldSelector(fieldSelector);
  } catch (err) {
    if (err instanceof FieldSelectorParseError) throw badRequest(err.message);
    throw err;
  }
  const getters = fields.map((r) => {
    const g = fieldGetter(d, r.field);
    if (!g) throw badRequest(unsupportedFieldLabelMessage(r.field, Object.keys(d.fieldSelectors ?? {}).length > 0));
    return g;
  });
  const byField = new Map(fields.map((r, i) => [r.field, getters[i]!]));
  const everything = labels !== 'nothing' && labels.length === 0 && fields.length === 0;
  return {
    labels,
    fields,
    everything,
    matches(obj: KObject) {
      if (everything) return true;
      if (labels !== 'nothing' && labels.length > 0 && !matchesLabels(labels, obj.metadata.labels)) return false;
      if (labels === 'nothing') return false;
      if (fields.length > 0 && !matchesFields(fields, (f) => byField.get(f)?.(obj) ?? '')) return false;
      return true;
    },
  };
}
