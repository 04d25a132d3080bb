import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerPort } from '../../../../main/api/core/v1/pod-types.js';
import { NODE_PORTS_ERR_REASON, NodePorts } from '../../../../main/scheduler/plugins/node-ports.js';
import { ctr, filterOne, makeNode, makePod, nodeInfo, unschedulable } from './builders.js';

/** "proto/ip/port" like upstream's newPod(host, "UDP/127.0.0.1/8080"). */
function portsPod(...specs: string[]) {
  const ports: ContainerPort[] = specs.map((s) => {
    const [protocol, hostIP, port] = s.split('/');
    return { protocol, hostIP, hostPort: Number(port), containerPort: Number(port) };
  });
  return makePod({ containers: [ctr({}, { ports })] });
}

const FAIL = unschedulable(NODE_PORTS_ERR_REASON);
const cases: { name: string; pod: string[]; existing: string[]; want: unknown }[] = [
  { name: 'nothing running', pod: [], existing: [], want: 'fits' },
  { name: 'other port', pod: ['UDP/127.0.0.1/8080'], existing: ['UDP/127.0.0.1/9090'], want: 'fits' },
  { name: 'same udp port', pod: ['UDP/127.0.0.1/8080'], existing: ['UDP/127.0.0.1/8080'], want: FAIL },
  { name: 'same tcp port', pod: ['TCP/127.0.0.1/8080'], existing: ['TCP/127.0.0.1/8080'], want: FAIL },
  { name: 'different host ip', pod: ['TCP/127.0.0.1/8080'], existing: ['TCP/127.0.0.2/8080'], want: 'fits' },
  { name: 'different protocol', pod: ['UDP/127.0.0.1/8080'], existing: ['TCP/127.0.0.1/8080'], want: 'fits' },
  { name: 'second udp port conflict', pod: ['UDP/127.0.0.1/8000', 'UDP/127.0.0.1/8080'], existing: ['UDP/127.0.0.1/8080'], want: FAIL },
  { name: 'first tcp port conflict', pod: ['TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8080'], existing: ['TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8081'], want: FAIL },
  { name: 'first tcp port conflict due to 0.0.0.0 hostIP', pod: ['TCP/0.0.0.0/8001'], existing: ['TCP/127.0.0.1/8001'], want: FAIL },
  { name: 'TCP hostPort conflict due to 0.0.0.0 hostIP', pod: ['TCP/10.0.10.10/8001', 'TCP/0.0.0.0/8001'], existing: ['TCP/127.0.0.1/8001'], want: FAIL },
  { name: 'second tcp port conflict to 0.0.0.0 hostIP', pod: ['TCP/127.0.0.1/8001'], existing: ['TCP/0.0.0.0/8001'], want: FAIL },
  { name: 'second different protocol', pod: ['UDP/127.0.0.1/8001'], existing: ['TCP/0.0.0.0/8001'], want: 'fits' },
  { name: 'UDP hostPort conflict due to 0.0.0.0 hostIP', pod: ['UDP/127.0.0.1/8001'], existing: ['TCP/0.0.0.0/8001', 'UDP/0.0.0.0/8001'], want: FAIL },
  { name: 'empty hostIP and protocol mean 0.0.0.0/TCP', pod: ['//8001'], existing: ['TCP/127.0.0.1/8001'], want: FAIL },
];

for (const c of cases) {
  test(`NodePorts filter: ${c.name}`, () => {
    const ni = nodeInfo(makeNode('n'), ...(c.existing.length ? [portsPod(...c.existing)] : []));
    assert.deepEqual(filterOne(new NodePorts(), portsPod(...c.pod), ni), c.want);
  });
}
