/**
 * Serves `?watch=true` as a chunked stream of newline-delimited JSON watch events. With a Table Accept header
 * each event carries a one-row Table; only the first carries column definitions (as upstream).
 * Streams stay open for `timeoutSeconds`, or a random 30–60 minutes, and end cleanly on client disconnect.
 */
import { tableVersion } from '../http/negotiation.js';
import { buildFilter } from '../registry/object-filter.js';
import type { ResourceStorage } from '../registry/resource-storage.js';
import { toTable } from '../table/table-convert.js';
import { openResourceWatch, type ResourceWatchEvent } from '../watch/resource-watch.js';
import { entryJson } from '../registry/codec.js';
import { includeObjectOf } from './read-handlers.js';
import type { RequestContext } from './request-context.js';
import type { ServerCore } from './server-core.js';
import { warningHeaders } from '../http/respond.js';

export async function serveWatch(ctx: RequestContext, storage: ResourceStorage, core: ServerCore): Promise<void> {
  const d = storage.descriptor;
  let filterField = ctx.query.get('fieldSelector');
  if (ctx.info.name) {
    // Watch of a single object: GET .../pods/web?watch=true (legacy form).
    const byName = `metadata.name=${ctx.info.name}`;
    filterField = filterField ? `${filterField},${byName}` : byName;
  }
  const filter = buildFilter(d, ctx.query.get('labelSelector'), filterField);
  const tv = tableVersion(ctx.req.headers.accept);
  const include = tv ? includeObjectOf(ctx) : 'Metadata';
  const bookmarks = ctx.query.get('allowWatchBookmarks') === 'true';
  const timeoutParam = Number(ctx.query.get('timeoutSeconds') ?? NaN);
  const { minSeconds, maxSeconds, bookmarkIntervalMs } = core.watch;
  const timeoutSeconds = Number.isFinite(timeoutParam) && timeoutParam > 0
    ? timeoutParam
    : minSeconds + Math.random() * (maxSeconds - minSeconds);

  const res = ctx.res;
  let headersSent = false;
  let first = true;
  const pending: string[] = [];
  const write = (e: ResourceWatchEvent) => {
    let objectJson: string;
    if (tv && e.type !== 'BOOKMARK' && e.type !== 'ERROR') {
      objectJson = JSON.stringify(toTable(d, [e.object], {
        include, tableApiVersion: `meta.k8s.io/${tv}`, now: Date.now(), withHeaders: first,
        resourceVersion: e.object.metadata.resourceVersion,
      }));
      first = false;
    } else {
      objectJson = e.entry ? entryJson(e.entry, storage.codec) : JSON.stringify(e.object);
    }
    const line = `{"type":"${e.type}","object":${objectJson}}\n`;
    if (headersSent) res.write(line);
    else pending.push(line);
  };

  // Opening may fail (410 Expired, 400) before any byte is written: the error then goes out as a Status.
  const watch = await openResourceWatch(storage, {
    namespace: ctx.info.namespace, filter, resourceVersion: ctx.query.get('resourceVersion'),
    bookmarkIntervalMs: bookmarks ? bookmarkIntervalMs : 0,
  }, write);

  const headers: Record<string, string | string[]> = {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  };
  if (ctx.warnings.length) headers['Warning'] = warningHeaders(ctx.warnings);
  res.writeHead(200, headers);
  res.flushHeaders();
  headersSent = true;
  if (pending.length) res.write(pending.join(''));
  pending.length = 0;

  await new Promise<void>((resolve) => {
    const timer = setTimeout(finish, timeoutSeconds * 1000);
    function finish() {
      clearTimeout(timer);
      watch.stop();
      if (!res.writableEnded) res.end();
      resolve();
    }
    ctx.req.on('close', finish);
    res.on('close', finish);
    res.on('error', finish);
  });
}
