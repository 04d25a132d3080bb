/**
 * The MessagePort transport: requests cross to the server side and come back as whole bodies or streams;
 * aborts reach the server's exchange (a disconnect); failures before and after the head are told apart; a
 * closed port fails what is pending.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageChannel } from 'node:worker_threads';
import type { ResponseBody, Transport, TransportRequest, TransportResponse } from '../../../main/client/transport.js';
import { createKubeClient } from '../../../main/client/transport.js';
import { PortTransport } from '../../../main/components/port-transport.js';
import { servePortTransport } from '../../../main/components/port-transport-server.js';

/** A server-side transport whose responses the test drives by hand. */
class ScriptedTransport implements Transport {
  readonly seen: TransportRequest[] = [];
  aborted = 0;
  constructor(private readonly answer: (req: TransportRequest, t: ScriptedTransport) => Promise<TransportResponse>) {}
  request(req: TransportRequest): Promise<TransportResponse> {
    this.seen.push(req);
    return this.answer(req, this);
  }
}

function wholeBody(text: string): ResponseBody {
  return { text: async () => text, stream: async (on) => on(text) };
}

/** A streaming body: push() chunks, end() or fail(); abort() is counted on the transport. */
function streamBody() {
  let reader: ((c: string) => void) | undefined;
  const early: string[] = [];
  let settle: ((e?: Error) => void) | undefined;
  const body: ResponseBody = {
    text: async () => '',
    stream: (on) => {
      reader = on;
      early.splice(0).forEach(on);
      return new Promise<void>((res, rej) => (settle = (e) => (e ? rej(e) : res())));
    },
  };
  return {
    body,
    push: (c: string) => (reader ? reader(c) : early.push(c)),
    end: () => settle?.(),
    fail: (e: Error) => settle?.(e),
  };
}

function pair(server: Transport) {
  const { port1, port2 } = new MessageChannel();
  const served = servePortTransport(port1, server);
  const client = new PortTransport(port2);
  return { client, served, close: () => { client.close(); served.close(); } };
}

test('a whole response crosses with status, headers and body; the request arrives intact', async () => {
  const server = new ScriptedTransport(async () => ({ status: 201, headers: { 'content-type': 'application/json' }, body: wholeBody('{"ok":true}'), abort() {} }));
  const { client, close } = pair(server);
  try {
    const res = await client.request({ method: 'POST', path: '/api/v1/namespaces', query: 'dryRun=All', headers: { 'user-agent': 'x' }, body: '{"a":1}' });
    assert.equal(res.status, 201);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.equal(await res.body.text(), '{"ok":true}');
    assert.deepEqual(server.seen[0], { method: 'POST', path: '/api/v1/namespaces', query: 'dryRun=All', headers: { 'user-agent': 'x' }, body: '{"a":1}' });
  } finally {
    close();
  }
});

test('a stream delivers its chunks in order and ends; a KubeClient watch on it sees the events', async () => {
  const s = streamBody();
  const server = new ScriptedTransport(async () => ({ status: 200, headers: {}, body: s.body, abort() {} }));
  const { client: transport, close } = pair(server);
  try {
    const kube = createKubeClient(transport);
    const names: string[] = [];
    const w = kube.watch({ group: '', version: 'v1', plural: 'pods', namespaced: true }, 'default', {}, (e) => names.push(`${e.type} ${e.object.metadata.name}`));
    s.push('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n{"type":"MODI');
    s.push('FIED","object":{"metadata":{"name":"a"}}}\n');
    await new Promise((r) => setTimeout(r, 20));
    s.push('{"type":"DELETED","object":{"metadata":{"name":"a"}}}\n');
    s.end();
    assert.equal(await w.done, undefined);
    assert.deepEqual(names, ['ADDED a', 'MODIFIED a', 'DELETED a']);
    assert.equal(server.seen[0]!.stream, true);
  } finally {
    close();
  }
});

test("a client abort reaches the server's exchange, and the client's stream ends at once", async () => {
  const s = streamBody();
  let serverAborted!: () => void;
  const aborted = new Promise<void>((r) => (serverAborted = r));
  const server = new ScriptedTransport(async () => ({ status: 200, headers: {}, body: s.body, abort: () => serverAborted() }));
  const { client, close } = pair(server);
  try {
    const res = await client.request({ method: 'GET', path: '/x', query: 'watch=true', headers: {}, stream: true });
    const got: string[] = [];
    const done = res.body.stream((c) => got.push(c));
    s.push('one\n');
    await new Promise((r) => setTimeout(r, 20));
    res.abort();
    await done;
    await aborted;
    s.push('after abort\n');
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(got, ['one\n']);
  } finally {
    close();
  }
});

test('a failure before the head rejects the request; a failure after it rejects the stream', async () => {
  const s = streamBody();
  let n = 0;
  const server = new ScriptedTransport(async () => {
    if (n++ === 0) throw new Error('handler blew up');
    return { status: 200, headers: {}, body: s.body, abort() {} };
  });
  const { client, close } = pair(server);
  try {
    await assert.rejects(client.request({ method: 'GET', path: '/a', query: '', headers: {} }), /handler blew up/);
    const res = await client.request({ method: 'GET', path: '/b', query: '', headers: {}, stream: true });
    const done = res.body.stream(() => {});
    s.fail(new Error('the server aborted the response'));
    await assert.rejects(done, /the server aborted the response/);
  } finally {
    close();
  }
});

test('closing the server side fails pending requests and open streams; aborts its exchanges', async () => {
  const s = streamBody();
  let serverAborts = 0;
  let pendingAnswer: ((r: TransportResponse) => void) | undefined;
  const server = new ScriptedTransport((req) => req.path === '/stream'
    ? Promise.resolve({ status: 200, headers: {}, body: s.body, abort: () => serverAborts++ })
    : new Promise((r) => (pendingAnswer = r)));
  const { client, served } = pair(server);
  const res = await client.request({ method: 'GET', path: '/stream', query: '', headers: {}, stream: true });
  const streaming = res.body.stream(() => {});
  const pending = client.request({ method: 'GET', path: '/slow', query: '', headers: {} });
  await new Promise((r) => setTimeout(r, 20));
  served.close();
  await assert.rejects(streaming, /closed the API connection/);
  await assert.rejects(pending, /closed the API connection/);
  assert.equal(serverAborts, 1);
  let lateAborted = false;
  pendingAnswer!({ status: 200, headers: {}, body: wholeBody('late'), abort: () => (lateAborted = true) });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(lateAborted, true, 'an answer that arrives after close is aborted, not sent');
  await assert.rejects(client.request({ method: 'GET', path: '/x', query: '', headers: {} }), /closed/);
});
