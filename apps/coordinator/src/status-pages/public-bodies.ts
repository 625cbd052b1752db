import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipped = promisify(gzip);

/** A public answer's body, as it is and gzipped. */
export interface EncodedBody {
  identity: Buffer;
  gzip: Buffer;
}

/**
 * The bodies of the public pages, rendered and compressed once per view: a view is shared by every
 * request for a few seconds (`PUBLIC_VIEW_TTL_MS`), and a page of 100 monitors is about 1.5 MB of
 * HTML (90 bars each, every one with its text) that gzip makes about 22 KB. Kept as long as the
 * view is (a `WeakMap` on it).
 */
export class PublicBodies {
  private readonly made = new WeakMap<object, Map<string, Promise<EncodedBody>>>();

  /** The body `render` makes of `view` (`kind` tells the renderings of one view apart). */
  of(view: object, kind: 'html' | 'json', render: () => string): Promise<EncodedBody> {
    let kinds = this.made.get(view);
    if (kinds === undefined) {
      kinds = new Map();
      this.made.set(view, kinds);
    }
    let body = kinds.get(kind);
    if (body === undefined) {
      const identity = Buffer.from(render(), 'utf8');
      body = gzipped(identity).then((compressed) => ({ identity, gzip: compressed }));
      kinds.set(kind, body);
    }
    return body;
  }
}

/** Whether the client takes gzip (`Accept-Encoding: gzip`, or `*`, with a q above 0). */
export function acceptsGzip(request: IncomingMessage): boolean {
  const header = request.headers['accept-encoding'];
  if (typeof header !== 'string') return false;
  let star = false;
  for (const part of header.split(',')) {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => /^\s*q=([0-9.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    const accepted = q === undefined || Number(q) > 0;
    if (coding.trim() === 'gzip') return accepted;
    if (coding.trim() === '*') star = accepted;
  }
  return star;
}
