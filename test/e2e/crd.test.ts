/**
 * CustomResourceDefinitions end to end with the real kubectl 1.32: serving a CRD (names, printer columns,
 * categories), the scale and status subresources, OpenAPI schema validation, field validation, patch types,
 * explain, and deletion of the CRD with its objects.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServe, type ServeProcess } from '../helpers/serve-process.js';
import { kubectlFor, tableRows, type Kubectl } from '../helpers/kubectl.js';

let server: ServeProcess;
let k: Kubectl;

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names:
    plural: widgets
    singular: widget
    kind: Widget
    listKind: WidgetList
    shortNames: [wd]
    categories: [all]
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale:
        specReplicasPath: .spec.replicas
        statusReplicasPath: .status.replicas
        labelSelectorPath: .status.selector
    additionalPrinterColumns:
    - name: Size
      type: string
      jsonPath: .spec.size
    - name: Replicas
      type: integer
      jsonPath: .spec.replicas
    - name: Color
      type: string
      priority: 1
      jsonPath: .spec.color
    - name: Phase
      type: string
      jsonPath: .status.phase
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
    schema:
      openAPIV3Schema:
        type: object
        description: A Widget is a thing made in the e2e tests.
        properties:
          spec:
            type: object
            description: WidgetSpec is the desired state of a Widget.
            properties:
              size:
                type: string
                description: How big the widget is.
                enum: [small, medium, large]
              replicas:
                type: integer
                description: Number of widget copies.
                minimum: 1
                maximum: 10
              color:
                type: string
          status:
            type: object
            properties:
              replicas:
                type: integer
              selector:
                type: string
              phase:
                type: string
`;

const widget = (name: string, spec: string) => `apiVersion: example.com/v1
kind: Widget
metadata:
  name: ${name}
spec:
${spec}
`;

before(async () => {
  server = await startServe();
  k = kubectlFor(server.kubeconfig);
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
});

async function createCrd(): Promise<void> {
  assert.equal(await k.ok(['apply', '-f', '-'], { input: CRD }), 'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created\n');
  assert.equal(
    await k.ok(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=20s']),
    'customresourcedefinition.apiextensions.k8s.io/widgets.example.com condition met\n',
  );
}

test('a CRD is served: get by plural, singular, shortName and full names with its printer columns', async () => {
  await createCrd();
  const crds = tableRows(await k.ok(['get', 'crd']));
  assert.deepEqual(crds[0], ['NAME', 'CREATED AT']);
  assert.equal(crds[1]![0], 'widgets.example.com');
  assert.match(crds[1]![1]!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

  assert.equal(await k.ok(['apply', '-f', '-'], { input: widget('w1', '  size: small\n  replicas: 1\n  color: red') }), 'widget.example.com/w1 created\n');
  assert.equal(await k.ok(['create', '-f', '-'], { input: widget('w2', '  size: large\n  replicas: 2') }), 'widget.example.com/w2 created\n');

  for (const resource of ['widgets', 'widget', 'wd', 'widgets.example.com', 'widgets.v1.example.com']) {
    const rows = tableRows(await k.ok(['get', resource]));
    assert.deepEqual(rows[0], ['NAME', 'SIZE', 'REPLICAS', 'PHASE', 'AGE'], resource);
    // An unset column value prints as an empty cell.
    assert.deepEqual(rows.slice(1).map((r) => r.slice(0, 3)), [['w1', 'small', '1'], ['w2', 'large', '2']], resource);
    assert.match(rows[1]![3]!, /^\d+s$/);
  }
  const wide = tableRows(await k.ok(['get', 'wd', 'w1', '-o', 'wide']));
  assert.deepEqual(wide[0], ['NAME', 'SIZE', 'REPLICAS', 'COLOR', 'PHASE', 'AGE']);
  assert.deepEqual(wide[1]!.slice(0, 3), ['w1', 'small', '1']);
  assert.equal(wide[1]![3], 'red');

  assert.equal(await k.ok(['get', 'widget/w2', '-o', 'name']), 'widget.example.com/w2\n');
  assert.equal(await k.ok(['get', 'wd', 'w2', '-o', 'jsonpath={.apiVersion} {.kind} {.spec.size} {.metadata.generation}']), 'example.com/v1 Widget large 1');
  const list = JSON.parse(await k.ok(['get', '--raw', '/apis/example.com/v1/namespaces/default/widgets'])) as Record<string, any>;
  assert.equal(list.kind, 'WidgetList');
  assert.equal(list.apiVersion, 'example.com/v1');
  assert.equal(list.items.length, 2);

  const ar = tableRows(await k.ok(['api-resources', '--api-group=example.com']));
  assert.deepEqual(ar, [['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'], ['widgets', 'wd', 'example.com/v1', 'true', 'Widget']]);
  assert.ok((await k.ok(['api-versions'])).split('\n').includes('example.com/v1'));
  // The "all" category includes the custom resource.
  const all = await k.ok(['get', 'all']);
  assert.match(all, /^widget\.example\.com\/w1\s+small\s+1\s/m);
});

test('kubectl scale through the scale subresource', async () => {
  assert.equal(await k.ok(['scale', 'widget', 'w1', '--replicas=3']), 'widget.example.com/w1 scaled\n');
  assert.equal(await k.ok(['get', 'wd', 'w1', '-o', 'jsonpath={.spec.replicas}']), '3');
  const scale = JSON.parse(await k.ok(['get', '--raw', '/apis/example.com/v1/namespaces/default/widgets/w1/scale'])) as Record<string, any>;
  assert.equal(scale.kind, 'Scale');
  assert.equal(scale.apiVersion, 'autoscaling/v1');
  assert.equal(scale.metadata.name, 'w1');
  assert.equal(scale.spec.replicas, 3);
  const rows = tableRows(await k.ok(['get', 'wd', 'w1']));
  assert.equal(rows[1]![2], '3');
  // --current-replicas is a precondition checked against the scale subresource.
  const stale = await k(['scale', 'wd', 'w1', '--current-replicas=1', '--replicas=2']);
  assert.equal(stale.code, 1);
  assert.equal(stale.stderr, 'error: Expected replicas to be 1, was 3\n');
  // The schema's maximum applies to writes through the scale subresource too.
  const tooMany = await k(['scale', 'wd', 'w1', '--replicas=11']);
  assert.equal(tooMany.code, 1);
  assert.match(tooMany.stderr, /spec\.replicas: Invalid value: 11: spec\.replicas in body should be less than or equal to 10/);
});

test('schema validation errors are worded as upstream (minimum, enum, type)', async () => {
  const create = (spec: string) => k(['create', '-f', '-'], { input: widget('bad', spec) });
  const min = await create('  replicas: 0');
  assert.equal(min.code, 1);
  assert.equal(min.stderr, 'The Widget "bad" is invalid: spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1\n');
  const en = await create('  size: huge');
  assert.equal(en.stderr, 'The Widget "bad" is invalid: spec.size: Unsupported value: "huge": supported values: "small", "medium", "large"\n');
  const typ = await create('  replicas: "three"');
  assert.equal(typ.stderr, 'The Widget "bad" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"\n');
  const num = await create('  replicas: 1.5');
  assert.equal(num.stderr, 'The Widget "bad" is invalid: spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"\n');
  const both = await create('  replicas: 0\n  size: huge');
  assert.equal(both.stderr, [
    'The Widget "bad" is invalid: ',
    '* spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
    '* spec.size: Unsupported value: "huge": supported values: "small", "medium", "large"',
    '',
  ].join('\n'));
  // Updates are validated too.
  const upd = await k(['patch', 'wd', 'w2', '--type=merge', '-p', '{"spec":{"size":"tiny"}}']);
  assert.equal(upd.code, 1);
  assert.equal(upd.stderr, 'The Widget "w2" is invalid: spec.size: Unsupported value: "tiny": supported values: "small", "medium", "large"\n');
  assert.equal((await k(['get', 'wd', 'bad'])).stderr, 'Error from server (NotFound): widgets.example.com "bad" not found\n');
});

test('unknown fields: rejected with Strict, warned and pruned with --validate=warn', async () => {
  const strict = await k(['create', '-f', '-'], { input: widget('unk', '  size: small\n  bogus: 1') });
  assert.equal(strict.code, 1);
  assert.equal(
    strict.stderr,
    'Error from server (BadRequest): error when creating "STDIN": Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.bogus"\n',
  );
  const warn = await k(['create', '-f', '-', '--validate=warn'], { input: widget('unk', '  size: small\n  bogus: 1') });
  assert.equal(warn.code, 0, warn.stderr);
  assert.equal(warn.stdout, 'widget.example.com/unk created\n');
  assert.equal(warn.stderr, 'Warning: unknown field "spec.bogus"\n');
  assert.equal(await k.ok(['get', 'wd', 'unk', '-o', 'jsonpath={.spec}']), '{"size":"small"}');
  assert.equal(await k.ok(['delete', 'wd', 'unk']), 'widget.example.com "unk" deleted\n');
});

test('merge and JSON patches work; strategic merge patch is refused as upstream', async () => {
  assert.equal(await k.ok(['patch', 'wd', 'w2', '--type=merge', '-p', '{"spec":{"color":"blue"}}']), 'widget.example.com/w2 patched\n');
  assert.equal(await k.ok(['patch', 'wd', 'w2', '--type=json', '-p', '[{"op":"replace","path":"/spec/size","value":"medium"}]']), 'widget.example.com/w2 patched\n');
  assert.equal(await k.ok(['get', 'wd', 'w2', '-o', 'jsonpath={.spec.color} {.spec.size} {.metadata.generation}']), 'blue medium 3');
  const expected = 'error: application/strategic-merge-patch+json is not supported by example.com/v1, Kind=Widget: the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml\n';
  const smp = await k(['patch', 'wd', 'w2', '--type=strategic', '-p', '{"spec":{"color":"green"}}']);
  assert.equal(smp.code, 1);
  assert.equal(smp.stderr, expected);
  // kubectl's default patch type is strategic.
  assert.equal((await k(['patch', 'wd', 'w2', '-p', '{"spec":{"color":"green"}}'])).stderr, expected);
  assert.equal(await k.ok(['get', 'wd', 'w2', '-o', 'jsonpath={.spec.color}']), 'blue');
  // Labels work through kubectl label (a merge patch) as well.
  assert.equal(await k.ok(['label', 'wd', 'w2', 'team=qa']), 'widget.example.com/w2 labeled\n');
  assert.equal(await k.ok(['get', 'wd', '-l', 'team=qa', '-o', 'name']), 'widget.example.com/w2\n');
});

test('status subresource: status is ignored on main-resource writes and spec on status writes', async () => {
  const noChange = await k.ok(['patch', 'wd', 'w1', '--type=merge', '-p', '{"status":{"phase":"Hacked"}}']);
  assert.equal(noChange, 'widget.example.com/w1 patched (no change)\n');
  assert.equal(await k.ok(['get', 'wd', 'w1', '-o', 'jsonpath={.status}']), '');

  assert.equal(
    await k.ok(['patch', 'wd', 'w1', '--subresource=status', '--type=merge', '-p', '{"status":{"phase":"Ready","replicas":3,"selector":"app=w1"},"spec":{"color":"pink"}}']),
    'widget.example.com/w1 patched\n',
  );
  assert.equal(await k.ok(['get', 'wd', 'w1', '-o', 'jsonpath={.status.phase} {.status.replicas} {.spec.color} {.metadata.generation}']), 'Ready 3 red 2');
  const rows = tableRows(await k.ok(['get', 'wd', 'w1']));
  assert.deepEqual(rows[1]!.slice(0, 4), ['w1', 'small', '3', 'Ready']);
  const scale = JSON.parse(await k.ok(['get', '--raw', '/apis/example.com/v1/namespaces/default/widgets/w1/scale'])) as Record<string, any>;
  assert.deepEqual(scale.status, { replicas: 3, selector: 'app=w1' });

  // A full replace with a different status keeps the stored status but takes the spec.
  const obj = JSON.parse(await k.ok(['get', 'wd', 'w1', '-o', 'json'])) as Record<string, any>;
  obj.status.phase = 'Replaced';
  obj.spec.color = 'green';
  assert.equal(await k.ok(['replace', '-f', '-'], { input: JSON.stringify(obj) }), 'widget.example.com/w1 replaced\n');
  assert.equal(await k.ok(['get', 'wd', 'w1', '-o', 'jsonpath={.status.phase} {.spec.color}']), 'Ready green');
});

test('explain <kind>.spec uses the CRD schema', async () => {
  const out = await k.ok(['explain', 'widget.spec']);
  assert.match(out, /^GROUP:      example\.com\nKIND:       Widget\nVERSION:    v1\n\nFIELD: spec <Object>\n\n\nDESCRIPTION:\n    WidgetSpec is the desired state of a Widget\.\n/);
  assert.match(out, /^FIELDS:\n  color\t<string>\n    <no description>\n\n  replicas\t<integer>\n    Number of widget copies\.\n\n  size\t<string>\n  enum: small, medium, large\n    How big the widget is\.\n/m);
  const top = await k.ok(['explain', 'widgets']);
  assert.match(top, /^DESCRIPTION:\n    A Widget is a thing made in the e2e tests\.\n/m);
  assert.match(top, /^  spec\t<Object>\n    WidgetSpec is the desired state of a Widget\.$/m);
  assert.match(top, /^  metadata\t<ObjectMeta>$/m);
});

test('deleting the CRD removes its objects and its resource from discovery', async () => {
  assert.equal(await k.ok(['delete', 'crd', 'widgets.example.com']), 'customresourcedefinition.apiextensions.k8s.io "widgets.example.com" deleted\n');
  const crds = await k(['get', 'crd']);
  assert.equal(crds.stderr, 'No resources found\n');
  const ar = await k(['api-resources', '--api-group=example.com']);
  assert.equal(ar.code, 0);
  assert.ok(!ar.stdout.includes('widgets'), ar.stdout);
  assert.ok(!(await k.ok(['api-versions'])).split('\n').includes('example.com/v1'));
  const raw = await k(['get', '--raw', '/apis/example.com/v1/namespaces/default/widgets']);
  assert.equal(raw.code, 1);
  assert.equal(raw.stderr, 'Error from server (NotFound): the server could not find the requested resource\n');

  // Recreated, the resource comes back empty: the old objects were deleted with the CRD.
  await createCrd();
  const none = await k(['get', 'widgets']);
  assert.equal(none.code, 0, none.stderr);
  assert.equal(none.stdout, '');
  assert.equal(none.stderr, 'No resources found in default namespace.\n');
});
