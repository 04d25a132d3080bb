import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IpAllocator } from '../../../../main/apiserver/allocators/ip-allocator.js';

test('default range is 10.96.0.0/12; network and broadcast addresses are excluded', () => {
  const a = new IpAllocator();
  assert.equal(a.cidr, '10.96.0.0/12');
  const cases: [string, boolean][] = [
    ['10.96.0.0', false], ['10.96.0.1', true], ['10.100.3.4', true], ['10.111.255.254', true], ['10.111.255.255', false],
    ['10.112.0.1', false], ['10.95.255.255', false], ['192.168.0.1', false], ['not-an-ip', false], ['10.96.0.256', false], ['10.96.0', false],
  ];
  for (const [ip, want] of cases) assert.equal(a.contains(ip), want, ip);
});

test('invalid CIDRs are refused', () => {
  for (const cidr of ['10.96.0.0', '10.96.0.0/7', '10.96.0.0/31', 'x/24', '10.96.0.300/24'])
    assert.throws(() => new IpAllocator(cidr), { message: `invalid service CIDR ${cidr}` });
});

test('the base is masked to the prefix', () => {
  const a = new IpAllocator('10.0.0.77/29');
  assert.equal(a.allocateNext(), '10.0.0.73');
});

test('allocate: specific IPs with upstream error texts', () => {
  const a = new IpAllocator('10.96.0.0/24');
  assert.equal(a.allocate('10.96.0.10'), undefined);
  assert.equal(a.isAllocated('10.96.0.10'), true);
  assert.equal(a.allocate('10.96.0.10'), 'failed to allocate IP 10.96.0.10: provided IP is already allocated');
  assert.equal(a.allocate('10.97.0.1'),
    'failed to allocate IP 10.97.0.1: the provided IP (10.97.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/24');
  assert.equal(a.allocate('10.96.0.255'),
    'failed to allocate IP 10.96.0.255: the provided IP (10.96.0.255) is not in the valid range. The range of valid IPs is 10.96.0.0/24');
  assert.equal(a.allocate('bogus'), 'failed to allocate IP bogus: the provided IP (bogus) is not a valid IP');
  assert.equal(a.isAllocated('10.96.0.11'), false);
});

test('allocateNext: unique IPs, exhaustion, release makes an IP available again', () => {
  const a = new IpAllocator('10.96.0.0/29'); // 6 usable: .1 - .6
  assert.equal(a.allocate('10.96.0.3'), undefined);
  const got = new Set<string>();
  for (let i = 0; i < 5; i++) {
    const ip = a.allocateNext();
    assert.ok(ip, `allocation ${i}`);
    assert.ok(a.contains(ip));
    assert.notEqual(ip, '10.96.0.3');
    got.add(ip);
  }
  assert.equal(got.size, 5);
  assert.equal(a.allocateNext(), undefined, 'range is full');
  a.release('10.96.0.5');
  assert.equal(a.isAllocated('10.96.0.5'), false);
  assert.equal(a.allocateNext(), '10.96.0.5');
  assert.equal(a.allocateNext(), undefined);
  a.release('garbage'); // no-op
});

test('allocateNext continues after the previous pick instead of reusing a just-released IP', () => {
  const a = new IpAllocator('10.96.0.0/29');
  assert.equal(a.allocateNext(), '10.96.0.1');
  assert.equal(a.allocateNext(), '10.96.0.2');
  a.release('10.96.0.1');
  assert.equal(a.allocateNext(), '10.96.0.3');
});
