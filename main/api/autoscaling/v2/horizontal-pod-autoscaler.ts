/**
 * autoscaling/v2 HorizontalPodAutoscaler: the storage (and preferred) version of HPAs. Defaults,
 * validation and columns here also serve autoscaling/v1, which converts to this shape.
 */
import { FieldPath, forbidden, invalid, notSupported, required, type FieldError } from '../../meta/field-errors.js';
import type { LabelSelectorObject } from '../../meta/label-selector.js';
import { isValidPathSegmentName } from '../../meta/name-validation.js';
import type { KObject } from '../../meta/object.js';
import { canonicalQuantity, parseQuantity } from '../../meta/quantity.js';
import type { Column } from '../../resource.js';
import { defineResource } from '../../resource.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';
import { HorizontalPodAutoscalerV2 } from './hpa-schema.js';

// ------------------------------------------------------------------------------------------------ types

export type QuantityValue = string | number;
export interface MetricTargetObject { type?: string; value?: QuantityValue; averageValue?: QuantityValue; averageUtilization?: number }
export interface MetricValueStatusObject { value?: QuantityValue; averageValue?: QuantityValue; averageUtilization?: number }
interface Identified { metric?: { name?: string; selector?: LabelSelectorObject } }
export interface MetricSpecObject {
  type?: string;
  object?: Identified & { describedObject?: CrossVersionRef; target?: MetricTargetObject };
  pods?: Identified & { target?: MetricTargetObject };
  resource?: { name?: string; target?: MetricTargetObject };
  containerResource?: { name?: string; container?: string; target?: MetricTargetObject };
  external?: Identified & { target?: MetricTargetObject };
}
export interface MetricStatusObject {
  type?: string;
  object?: Identified & { current?: MetricValueStatusObject };
  pods?: Identified & { current?: MetricValueStatusObject };
  resource?: { name?: string; current?: MetricValueStatusObject };
  containerResource?: { name?: string; container?: string; current?: MetricValueStatusObject };
  external?: Identified & { current?: MetricValueStatusObject };
}
export interface CrossVersionRef { kind?: string; name?: string; apiVersion?: string }
export interface ScalingRules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: string;
  policies?: { type?: string; value?: number; periodSeconds?: number }[];
}

export interface HPAv2 extends KObject {
  spec?: {
    scaleTargetRef?: CrossVersionRef;
    minReplicas?: number;
    maxReplicas?: number;
    metrics?: MetricSpecObject[];
    behavior?: { scaleUp?: ScalingRules; scaleDown?: ScalingRules };
  };
  status?: {
    observedGeneration?: number;
    lastScaleTime?: string;
    currentReplicas?: number;
    desiredReplicas?: number;
    currentMetrics?: MetricStatusObject[];
    conditions?: unknown[];
  };
}

// ---------------------------------------------------------------------------------------------- defaults

export const DEFAULT_CPU_UTILIZATION = 80;

/** The scaling rules behavior defaults to, per direction (GenerateHPAScaleUpRules / ScaleDownRules). */
function defaultRules(rules: ScalingRules | undefined, up: boolean): ScalingRules {
  const r: ScalingRules = rules ?? {};
  r.stabilizationWindowSeconds ??= up ? 0 : 300;
  r.selectPolicy ??= 'Max';
  r.policies ??= up
    ? [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ]
    : [{ type: 'Percent', value: 100, periodSeconds: 15 }];
  return r;
}

/** SetDefaults_HorizontalPodAutoscaler (autoscaling/v2). */
export function defaultHPAv2(hpa: HPAv2): void {
  const spec = (hpa.spec ??= {});
  spec.minReplicas ??= 1;
  if (!spec.metrics || spec.metrics.length === 0)
    spec.metrics = [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } },
    ];
  if (spec.behavior) {
    spec.behavior.scaleUp = defaultRules(spec.behavior.scaleUp, true);
    spec.behavior.scaleDown = defaultRules(spec.behavior.scaleDown, false);
  }
}

// -------------------------------------------------------------------------------------------- validation

const SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const FIELD_OF: Record<string, keyof MetricSpecObject> = {
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
  External: 'external',
  ContainerResource: 'containerResource',
};

function positiveQuantity(v: QuantityValue | undefined): boolean {
  const q = parseQuantity(v ?? '');
  return q !== undefined && q.mantissa > 0n;
}

function validateTarget(t: MetricTargetObject | undefined, path: FieldPath): FieldError[] {
  const mt = t ?? {};
  const errs: FieldError[] = [];
  if (!mt.type) errs.push(required(path.child('type'), 'must specify a metric target type'));
  if (mt.type !== 'Utilization' && mt.type !== 'Value' && mt.type !== 'AverageValue')
    errs.push(invalid(path.child('type'), mt.type ?? '', 'must be either Utilization, Value, or AverageValue'));
  if (mt.value !== undefined && !positiveQuantity(mt.value)) errs.push(invalid(path.child('value'), String(mt.value), 'must be positive'));
  if (mt.averageValue !== undefined && !positiveQuantity(mt.averageValue))
    errs.push(invalid(path.child('averageValue'), String(mt.averageValue), 'must be positive'));
  if (mt.averageUtilization !== undefined && mt.averageUtilization < 1)
    errs.push(invalid(path.child('averageUtilization'), mt.averageUtilization, 'must be greater than 0'));
  return errs;
}

function validateIdentifier(m: Identified['metric'], path: FieldPath): FieldError[] {
  if (!m?.name) return [required(path.child('name'), 'must specify a metric name')];
  return isValidPathSegmentName(m.name).map((msg) => invalid(path.child('name'), m.name, msg));
}

function validateSource(type: string, src: NonNullable<MetricSpecObject[keyof MetricSpecObject]>, path: FieldPath): FieldError[] {
  if (typeof src !== 'object') return [];
  const s = src as { name?: string; container?: string; target?: MetricTargetObject; metric?: Identified['metric']; describedObject?: CrossVersionRef };
  const errs: FieldError[] = [];
  const tp = path.child('target');
  if (type === 'Resource' || type === 'ContainerResource') {
    if (!s.name) errs.push(required(path.child('name'), 'must specify a resource name'));
    if (type === 'ContainerResource' && !s.container) errs.push(required(path.child('container'), 'must specify a container'));
    errs.push(...validateTarget(s.target, tp));
    const t = s.target ?? {};
    if (t.averageUtilization === undefined && t.averageValue === undefined)
      errs.push(required(tp.child('averageUtilization'), 'must set either a target raw value or a target utilization'));
    if (t.averageUtilization !== undefined && t.averageValue !== undefined)
      errs.push(forbidden(tp.child('averageValue'), 'may not set both a target raw value and a target utilization'));
    return errs;
  }
  if (type === 'Object') errs.push(...validateCrossVersionRef(s.describedObject, path.child('describedObject')));
  errs.push(...validateIdentifier(s.metric, path.child('metric')));
  errs.push(...validateTarget(s.target, tp));
  const t = s.target ?? {};
  if (type === 'Pods') {
    if (t.averageValue === undefined) errs.push(required(tp.child('averageValue'), 'must specify a positive target averageValue'));
  } else if (t.value === undefined && t.averageValue === undefined) {
    errs.push(required(tp.child('averageValue'), 'must set either a target value or averageValue'));
  }
  return errs;
}

function validateMetricSpec(m: MetricSpecObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const type = m.type ?? '';
  if (!type) errs.push(required(path.child('type'), 'must specify a metric source type'));
  const present = (Object.values(FIELD_OF) as (keyof MetricSpecObject)[]).filter((k) => m[k] !== undefined && m[k] !== null);
  if (present.length === 1) errs.push(...validateSource(SOURCE_TYPES.find((t) => FIELD_OF[t] === present[0]) ?? '', m[present[0]!]!, path.child(present[0]!)));
  const expected = FIELD_OF[type];
  if (!expected) errs.push(notSupported(path.child('type'), type, SOURCE_TYPES));
  else if (m[expected] === undefined || m[expected] === null)
    errs.push(required(path.child(expected), 'must populate information for the given metric source'));
  if (present.length !== 1)
    for (const k of present) if (k !== expected) errs.push(forbidden(path.child(k), 'must populate the given metric source only'));
  return errs;
}

export function validateCrossVersionRef(ref: CrossVersionRef | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of ['kind', 'name'] as const) {
    const v = ref?.[k] ?? '';
    if (!v) errs.push(required(path.child(k), ''));
    else errs.push(...isValidPathSegmentName(v).map((msg) => invalid(path.child(k), v, msg)));
  }
  return errs;
}

function validateRules(rules: ScalingRules | undefined, path: FieldPath): FieldError[] {
  if (!rules) return [];
  const errs: FieldError[] = [];
  const sw = rules.stabilizationWindowSeconds;
  if (sw !== undefined && sw < 0) errs.push(invalid(path.child('stabilizationWindowSeconds'), sw, 'must be greater than or equal to zero'));
  if (sw !== undefined && sw > 3600) errs.push(invalid(path.child('stabilizationWindowSeconds'), sw, 'must be less than or equal to 3600'));
  if (rules.selectPolicy !== undefined && !['Disabled', 'Max', 'Min'].includes(rules.selectPolicy))
    errs.push(notSupported(path.child('selectPolicy'), rules.selectPolicy, ['Disabled', 'Max', 'Min']));
  const pp = path.child('policies');
  if (!rules.policies?.length) errs.push(required(pp, 'must specify at least one Policy'));
  (rules.policies ?? []).forEach((p, i) => {
    const ip = pp.index(i);
    if (p.type !== 'Pods' && p.type !== 'Percent') errs.push(notSupported(ip.child('type'), p.type ?? '', ['Percent', 'Pods']));
    if ((p.value ?? 0) <= 0) errs.push(invalid(ip.child('value'), p.value ?? 0, 'must be greater than zero'));
    if ((p.periodSeconds ?? 0) <= 0) errs.push(invalid(ip.child('periodSeconds'), p.periodSeconds ?? 0, 'must be greater than zero'));
    if ((p.periodSeconds ?? 0) > 1800) errs.push(invalid(ip.child('periodSeconds'), p.periodSeconds, 'must be less than or equal to 1800'));
  });
  return errs;
}

/** validateHorizontalPodAutoscalerSpec, with upstream's field paths (also used for autoscaling/v1). */
export function validateHPAv2(hpa: HPAv2): FieldError[] {
  const spec = hpa.spec ?? {};
  const path = FieldPath.root('spec');
  const errs: FieldError[] = [];
  if (spec.minReplicas !== undefined && spec.minReplicas < 1)
    errs.push(invalid(path.child('minReplicas'), spec.minReplicas, 'must be greater than or equal to 1'));
  const max = spec.maxReplicas ?? 0;
  if (max < 1) errs.push(invalid(path.child('maxReplicas'), max, 'must be greater than 0'));
  if (spec.minReplicas !== undefined && max < spec.minReplicas)
    errs.push(invalid(path.child('maxReplicas'), max, 'must be greater than or equal to `minReplicas`'));
  const refErrs = validateCrossVersionRef(spec.scaleTargetRef, path.child('scaleTargetRef'));
  if (refErrs.length) errs.push(...refErrs);
  else (spec.metrics ?? []).forEach((m, i) => errs.push(...validateMetricSpec(m, path.child('metrics').index(i))));
  if (spec.behavior) {
    errs.push(...validateRules(spec.behavior.scaleUp, path.child('behavior').child('scaleUp')));
    errs.push(...validateRules(spec.behavior.scaleDown, path.child('behavior').child('scaleDown')));
  }
  return errs;
}

// ---------------------------------------------------------------------------------------------- columns

const qty = (v: QuantityValue | undefined): string => {
  if (v === undefined) return '0';
  try {
    return canonicalQuantity(v) ?? String(v);
  } catch {
    return String(v);
  }
};

/** The TARGETS column: at most two metrics as `current/target`, then "+ N more...". */
export function formatHPAMetrics(specs: MetricSpecObject[] | undefined, statuses: MetricStatusObject[] | undefined): string {
  if (!specs?.length) return '<none>';
  const st = statuses ?? [];
  const list = specs.map((spec, i): string => {
    const s = st[i];
    switch (spec.type) {
      case 'External':
      case 'Object': {
        const src = spec.type === 'External' ? spec.external : spec.object;
        const cur = spec.type === 'External' ? s?.external?.current : s?.object?.current;
        if (src?.target?.averageValue !== undefined)
          return `${cur?.averageValue !== undefined ? qty(cur.averageValue) : '<unknown>'}/${qty(src.target.averageValue)} (avg)`;
        return `${cur ? qty(cur.value) : '<unknown>'}/${qty(src?.target?.value)}`;
      }
      case 'Pods':
        return `${s?.pods ? qty(s.pods.current?.averageValue) : '<unknown>'}/${qty(spec.pods?.target?.averageValue)}`;
      case 'Resource':
      case 'ContainerResource': {
        const src = spec.type === 'Resource' ? spec.resource : spec.containerResource;
        const cur = spec.type === 'Resource' ? s?.resource : s?.containerResource;
        if (src?.target?.averageValue !== undefined)
          return `${src.name ?? ''}: ${cur ? qty(cur.current?.averageValue) : '<unknown>'}/${qty(src.target.averageValue)}`;
        const current = cur?.current?.averageUtilization !== undefined ? `${cur.current.averageUtilization}%` : '<unknown>';
        const target = src?.target?.averageUtilization !== undefined ? `${src.target.averageUtilization}%` : '<auto>';
        return `${src?.name ?? ''}: ${current}/${target}`;
      }
      default:
        return '<unknown type>';
    }
  });
  if (list.length > 2) return `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...`;
  return list.join(', ');
}

/** Columns of `kubectl get hpa`, computed on the v2 shape. */
export const hpaColumns: Column<HPAv2>[] = [
  nameColumn(),
  col<HPAv2>('Reference', (h) => `${h.spec?.scaleTargetRef?.kind ?? ''}/${h.spec?.scaleTargetRef?.name ?? ''}`, {
    description: 'The scalable resource this autoscaler controls.',
  }),
  col<HPAv2>('Targets', (h) => formatHPAMetrics(h.spec?.metrics, h.status?.currentMetrics), {
    description: 'Current and target values of the metrics.',
  }),
  col<HPAv2>('MinPods', (h) => (h.spec?.minReplicas === undefined ? '<unset>' : String(h.spec.minReplicas)), {
    description: 'Lower replica bound.',
  }),
  col<HPAv2>('MaxPods', (h) => h.spec?.maxReplicas ?? 0, { type: 'integer', description: 'Upper replica bound.' }),
  col<HPAv2>('Replicas', (h) => h.status?.currentReplicas ?? 0, { type: 'integer', description: 'Replicas last seen.' }),
  ageColumn(),
];

export const horizontalPodAutoscalersV2 = defineResource<HPAv2>({
  group: 'autoscaling',
  version: 'v2',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  shortNames: ['hpa'],
  categories: ['all'],
  namespaced: true,
  subresources: { status: true },
  schema: HorizontalPodAutoscalerV2,
  defaults: defaultHPAv2,
  generation: true,
  strategy: {
    // A new HPA has observed nothing: desiredReplicas (not omitempty in Go) serializes as 0.
    prepareForCreate: (h) => {
      h.status = { desiredReplicas: 0 };
    },
    validate: validateHPAv2,
    validateUpdate: (h) => validateHPAv2(h),
  },
  columns: hpaColumns,
});
