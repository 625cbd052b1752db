import { describe, expect, it } from 'vitest';
import { documentChanges, REDACTED_CHANGE, type DocumentChange } from './document-changes';

describe('documentChanges', () => {
  const cases: { name: string; before: unknown; after: unknown; changes: DocumentChange[] }[] = [
    { name: 'equal documents', before: { a: 1, b: [1, { c: 'x' }] }, after: { a: 1, b: [1, { c: 'x' }] }, changes: [] },
    { name: 'a changed scalar', before: { intervalSeconds: 60 }, after: { intervalSeconds: 30 }, changes: [{ path: 'intervalSeconds', before: 60, after: 30 }] },
    { name: 'an added field has no before', before: { a: 1 }, after: { a: 1, b: 2 }, changes: [{ path: 'b', after: 2 }] },
    { name: 'a removed field has no after', before: { a: 1, b: 2 }, after: { a: 1 }, changes: [{ path: 'b', before: 2 }] },
    { name: 'null is a value', before: { d: 'x' }, after: { d: null }, changes: [{ path: 'd', before: 'x', after: null }] },
    {
      name: 'nested leaves by dotted path, array elements by index',
      before: { spec: { expect: { json: [{ path: '$.ok', value: true }] } } },
      after: { spec: { expect: { json: [{ path: '$.ok', value: false }] } } },
      changes: [{ path: 'spec.expect.json.0.value', before: true, after: false }],
    },
    {
      name: 'arrays compared per index: a longer array adds, a shorter removes',
      before: { regions: ['a', 'b'], tags: ['x', 'y', 'z'] },
      after: { regions: ['a', 'c', 'd'], tags: ['x'] },
      changes: [
        { path: 'regions.1', before: 'b', after: 'c' },
        { path: 'regions.2', after: 'd' },
        { path: 'tags.1', before: 'y' },
        { path: 'tags.2', before: 'z' },
      ],
    },
    {
      name: 'an added object lists its leaves',
      before: { spec: {} },
      after: { spec: { headers: { accept: 'json', 'x-a': '1' } } },
      changes: [
        { path: 'spec.headers.accept', after: 'json' },
        { path: 'spec.headers.x-a', after: '1' },
      ],
    },
    { name: 'emptying an array removes its elements', before: { events: ['a'] }, after: { events: [] }, changes: [{ path: 'events.0', before: 'a' }] },
    { name: 'an empty array where there was none is a leaf', before: {}, after: { events: [] }, changes: [{ path: 'events', after: [] }] },
    { name: 'two empty containers are equal', before: { a: [], b: {} }, after: { a: [], b: {} }, changes: [] },
    { name: 'an object becoming an array of the same leaves', before: { x: {} }, after: { x: [] }, changes: [{ path: 'x', before: {}, after: [] }] },
    {
      name: 'a scalar becoming an object: the old leaf removed, the new leaves added',
      before: { body: 'text' },
      after: { body: { json: 1 } },
      changes: [
        { path: 'body.json', after: 1 },
        { path: 'body', before: 'text' },
      ],
    },
    {
      name: 'a create (no document before) lists every field',
      before: undefined,
      after: { name: 'n', spec: { url: 'https://x/', headers: {} } },
      changes: [
        { path: 'name', after: 'n' },
        { path: 'spec.url', after: 'https://x/' },
        { path: 'spec.headers', after: {} },
      ],
    },
    {
      name: 'id, revision, createdAt and updatedAt are not compared',
      before: { id: 'mon_a', revision: 3, createdAt: 't1', updatedAt: 't2', name: 'a' },
      after: { id: 'mon_b', revision: 4, createdAt: 't3', updatedAt: 't4', name: 'a' },
      changes: [],
    },
    { name: 'a number is not a string', before: { v: 1 }, after: { v: '1' }, changes: [{ path: 'v', before: 1, after: '1' }] },
    { name: '__proto__ is a field like any other', before: JSON.parse('{"__proto__":{"a":1}}'), after: JSON.parse('{"__proto__":{"a":2}}'), changes: [{ path: '__proto__.a', before: 1, after: 2 }] },
  ];

  it.each(cases)('$name', ({ before, after, changes }) => {
    expect(documentChanges(before, after)).toEqual(changes);
  });

  describe('secrets', () => {
    const isSecret = (path: string) => path === 'spec.headers.authorization' || path === 'spec.url';

    it('a changed secret is listed as secret, both sides redacted', () => {
      const changes = documentChanges(
        { spec: { url: 'https://u:old@x/', headers: { authorization: 'Bearer old', accept: 'a' } } },
        { spec: { url: 'https://u:new@x/', headers: { authorization: 'Bearer new', accept: 'a' } } },
        { isSecret },
      );
      expect(changes).toEqual([
        { path: 'spec.url', before: REDACTED_CHANGE, after: REDACTED_CHANGE, secret: true },
        { path: 'spec.headers.authorization', before: REDACTED_CHANGE, after: REDACTED_CHANGE, secret: true },
      ]);
      expect(JSON.stringify(changes)).not.toMatch(/old|new/);
    });

    it('an unchanged secret is not listed; an added one has no before', () => {
      expect(documentChanges({ spec: { headers: { authorization: 'same' } } }, { spec: { headers: { authorization: 'same' } } }, { isSecret })).toEqual([]);
      expect(documentChanges({ spec: { headers: {} } }, { spec: { headers: { authorization: 'token' } } }, { isSecret })).toEqual([
        { path: 'spec.headers.authorization', after: REDACTED_CHANGE, secret: true },
      ]);
    });
  });

  it('takes its own list of fields to leave out', () => {
    expect(documentChanges({ id: 'a', name: 'x' }, { id: 'b', name: 'x' }, { ignore: ['name'] })).toEqual([{ path: 'id', before: 'a', after: 'b' }]);
  });
});
