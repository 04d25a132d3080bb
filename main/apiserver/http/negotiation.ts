/**
 * Accept-header negotiation for the response shapes kubectl asks for: Tables (`as=Table;g=meta.k8s.io;v=v1`),
 * aggregated discovery (`as=APIGroupDiscoveryList;g=apidiscovery.k8s.io;v=v2|v2beta1`) and plain JSON.
 * Responses are always JSON-encoded; protobuf is never returned (every kubectl Accept list includes JSON).
 */

export interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export function parseAccept(accept: string | undefined): MediaRange[] {
  if (!accept) return [];
  return accept.split(',').map((part) => {
    const [type, ...params] = part.trim().split(';');
    const p: Record<string, string> = {};
    for (const kv of params) {
      const i = kv.indexOf('=');
      if (i > 0) p[kv.slice(0, i).trim().toLowerCase()] = kv.slice(i + 1).trim();
    }
    return { type: (type ?? '').trim().toLowerCase(), params: p };
  });
}

/** The Table version requested first (kubectl lists v1 then v1beta1), or undefined for plain objects. */
export function tableVersion(accept: string | undefined): 'v1' | 'v1beta1' | undefined {
  for (const r of parseAccept(accept)) {
    if (r.params.as === 'Table' && r.params.g === 'meta.k8s.io' && (r.params.v === 'v1' || r.params.v === 'v1beta1'))
      return r.params.v;
    if (r.type === 'application/json' && !r.params.as) return undefined;
    if (r.type === '*/*') return undefined;
  }
  return undefined;
}

/** True when the client asked for a Table and nothing plain (so a non-Table answer is 406). */
export function onlyTable(accept: string | undefined): boolean {
  const ranges = parseAccept(accept);
  return ranges.length > 0 && ranges.every((r) => r.params.as === 'Table');
}

/** The aggregated discovery version the client prefers, if it asked for aggregated discovery at all. */
export function aggregatedDiscoveryVersion(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const r of parseAccept(accept)) {
    if (r.params.as === 'APIGroupDiscoveryList' && r.params.g === 'apidiscovery.k8s.io') {
      if (r.params.v === 'v2' || r.params.v === 'v2beta1') return r.params.v;
    }
    if ((r.type === 'application/json' || r.type === '*/*') && !r.params.as) return undefined;
  }
  return undefined;
}

/** The media type of a request body, without parameters. */
export function contentTypeOf(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}
