import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builtinResources } from '../../../../main/api/registry.js';
import { AdmissionChain, type AdmissionPlugin, type AdmissionRequest } from '../../../../main/apiserver/admission/admission.js';
import { LOOPBACK_USER } from '../../../../main/apiserver/authn/user-info.js';

const pods = builtinResources.find((d) => d.group === '' && d.plural === 'pods')!;

test('AdmissionChain runs every mutate in order, then validate; plugins without a phase are skipped; errors stop the chain', async () => {
  const calls: string[] = [];
  const plugin = (name: string, failOn?: 'mutate' | 'validate'): AdmissionPlugin => ({
    name,
    mutate(req) {
      calls.push(`${name}.mutate`);
      (req.object!.metadata.labels ??= {})[name] = 'x';
      if (failOn === 'mutate') throw new Error(`${name} refused`);
    },
    validate() {
      calls.push(`${name}.validate`);
      if (failOn === 'validate') throw new Error(`${name} refused`);
    },
  });
  const validateOnly: AdmissionPlugin = { name: 'V', validate: () => void calls.push('V.validate') };
  const chain = new AdmissionChain([plugin('A'), validateOnly, plugin('B')]);
  assert.deepEqual(chain.names(), ['A', 'V', 'B']);
  const req: AdmissionRequest = {
    operation: 'CREATE', descriptor: pods, namespace: 'default', name: 'p', subresource: '',
    object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }, user: LOOPBACK_USER, dryRun: false,
  };
  await chain.mutate(req);
  await chain.validate(req);
  assert.deepEqual(calls, ['A.mutate', 'B.mutate', 'A.validate', 'V.validate', 'B.validate']);
  assert.deepEqual(req.object!.metadata.labels, { A: 'x', B: 'x' });

  calls.length = 0;
  const failing = new AdmissionChain([plugin('A', 'mutate'), plugin('B')]);
  await assert.rejects(failing.mutate(req), { message: 'A refused' });
  assert.deepEqual(calls, ['A.mutate']);
});
