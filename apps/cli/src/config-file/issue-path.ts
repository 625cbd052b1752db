/** Where in a configuration file: object keys and array indexes, from the top. */
export type IssuePath = readonly (string | number)[];

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** `['monitors', 2, 'expect', 'json', 0, 'path']` -> `monitors[2].expect.json[0].path`; odd keys quoted: `headers["x.y"]`. */
export function formatIssuePath(path: IssuePath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/**
 * The API's dotted issue path (`expect.json.0.path`, `headers.X-Api.Key`) as segments, read against
 * the value it is about: a number is an index where the value there is an array, and a key that
 * itself holds dots (a header name) is found by trying the longest run of segments that names a key.
 */
export function resolveDottedPath(value: unknown, dotted: string): (string | number)[] {
  if (dotted === '') return [];
  const parts = dotted.split('.');
  const path: (string | number)[] = [];
  let current: unknown = value;
  let index = 0;
  while (index < parts.length) {
    const part = parts[index] ?? '';
    if (Array.isArray(current) && /^\d+$/.test(part)) {
      path.push(Number(part));
      current = current[Number(part)];
      index += 1;
      continue;
    }
    let taken = 1;
    if (typeof current === 'object' && current !== null) {
      for (let length = parts.length - index; length > 1; length -= 1) {
        if (Object.hasOwn(current, parts.slice(index, index + length).join('.'))) {
          taken = length;
          break;
        }
      }
    }
    const key = parts.slice(index, index + taken).join('.');
    path.push(key);
    current = typeof current === 'object' && current !== null && Object.hasOwn(current, key) ? (current as Record<string, unknown>)[key] : undefined;
    index += taken;
  }
  return path;
}
