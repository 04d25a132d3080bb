import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  aggregatedDiscoveryVersion, contentTypeOf, onlyTable, parseAccept, tableVersion,
} from '../../../../main/apiserver/http/negotiation.js';
import { KUBECTL_ACCEPT } from '../../../helpers/apiserver-unit.js';

test('negotiation: parseAccept splits media ranges and lower-cases parameter names', () => {
  assert.deepEqual(parseAccept(undefined), []);
  assert.deepEqual(parseAccept('application/json;as=Table;v=v1;g=meta.k8s.io, */*'), [
    { type: 'application/json', params: { as: 'Table', v: 'v1', g: 'meta.k8s.io' } },
    { type: '*/*', params: {} },
  ]);
  assert.deepEqual(parseAccept('Application/JSON; AS=Table'), [{ type: 'application/json', params: { as: 'Table' } }]);
});

test('negotiation: Table version as kubectl asks for it', () => {
  const cases: [string | undefined, 'v1' | 'v1beta1' | undefined][] = [
    [KUBECTL_ACCEPT.table, 'v1'],
    ['application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json', 'v1beta1'],
    ['application/json;as=Table;g=meta.k8s.io;v=v1', 'v1'],
    // Plain JSON first: the client prefers objects.
    ['application/json,application/json;as=Table;v=v1;g=meta.k8s.io', undefined],
    ['*/*', undefined],
    ['application/json', undefined],
    [undefined, undefined],
    // Wrong group or unknown version: not a Table request.
    ['application/json;as=Table;v=v1;g=example.com,application/json', undefined],
    ['application/json;as=Table;v=v2;g=meta.k8s.io,application/json', undefined],
    [KUBECTL_ACCEPT.protobufFirst, undefined],
  ];
  for (const [accept, want] of cases) assert.equal(tableVersion(accept), want, String(accept));
});

test('negotiation: onlyTable is true only when every range asks for a Table', () => {
  assert.equal(onlyTable(KUBECTL_ACCEPT.table), false);
  assert.equal(onlyTable('application/json;as=Table;v=v1;g=meta.k8s.io'), true);
  assert.equal(onlyTable('application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io'), true);
  assert.equal(onlyTable(undefined), false);
  assert.equal(onlyTable('application/json'), false);
});

test('negotiation: aggregated discovery version as kubectl asks for it', () => {
  const cases: [string | undefined, 'v2' | 'v2beta1' | undefined][] = [
    [KUBECTL_ACCEPT.discovery, 'v2'],
    ['application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json', 'v2beta1'],
    // client-go with protobuf enabled lists the protobuf variants first; the JSON answer is still acceptable.
    ['application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json', 'v2'],
    ['application/json;g=apidiscovery.k8s.io;v=v1;as=APIGroupDiscoveryList,application/json', undefined],
    ['application/json,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList', undefined],
    ['*/*', undefined],
    ['application/json', undefined],
    [undefined, undefined],
    [KUBECTL_ACCEPT.table, undefined],
  ];
  for (const [accept, want] of cases) assert.equal(aggregatedDiscoveryVersion(accept), want, String(accept));
});

test('negotiation: contentTypeOf drops parameters and case', () => {
  const cases: [string | undefined, string][] = [
    ['application/json', 'application/json'],
    ['application/json; charset=utf-8', 'application/json'],
    ['Application/Merge-Patch+JSON', 'application/merge-patch+json'],
    ['application/apply-patch+yaml;charset=utf-8', 'application/apply-patch+yaml'],
    [undefined, ''],
    ['', ''],
  ];
  for (const [h, want] of cases) assert.equal(contentTypeOf(h), want, String(h));
});
