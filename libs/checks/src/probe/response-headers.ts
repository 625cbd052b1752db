/** Response headers as undici hands them over: names in lower case, repeated headers as arrays. */
export type RawResponseHeaders = Record<string, string | string[] | undefined>;

/**
 * Flattens response headers to one string per name, the shape evaluation reads: repeated headers
 * are joined with `, ` (RFC 9110 list syntax), except `set-cookie`, whose values may themselves
 * contain commas (`Expires=Wed, 21 Oct…`) and are joined with a newline instead.
 */
export function normalizeHeaders(raw: RawResponseHeaders): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [rawName, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const name = rawName.toLowerCase();
    const joined = Array.isArray(value) ? value.join(name === 'set-cookie' ? '\n' : ', ') : value;
    const existing = headers[name];
    headers[name] = existing === undefined ? joined : `${existing}${name === 'set-cookie' ? '\n' : ', '}${joined}`;
  }
  return headers;
}

/**
 * Approximate wire size of a header block (`name: value\r\n` per line). Used to bound headers
 * when an injected dispatcher does the parsing and undici's `maxHeaderSize` is not ours to set.
 */
export function headerBlockBytes(raw: RawResponseHeaders): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(raw)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      bytes += Buffer.byteLength(name) + Buffer.byteLength(item) + 4;
    }
  }
  return bytes;
}
