import { describe, expect, it } from 'vitest';
import { substituteEnv, substituteString } from './substitute-env';

const variables = new Map([
  ['TOKEN', 't0k'],
  ['EMPTY', ''],
]);

describe('substituteString', () => {
  it.each([
    ['Bearer ${TOKEN}', 'Bearer t0k'],
    ['${TOKEN}${TOKEN}', 't0kt0k'],
    ['${UNSET:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${TOKEN:-fallback}', 't0k'],
    ['${UNSET:-}', ''],
    ['literal $${TOKEN}', 'literal ${TOKEN}'],
    ['no references, $5 and $HOME stay', 'no references, $5 and $HOME stay'],
  ])('%s -> %s', (text, expected) => {
    const problems: string[] = [];
    expect(substituteString(text, variables, (message) => problems.push(message))).toBe(expected);
    expect(problems).toEqual([]);
  });

  it.each([
    ['${UNSET}', 'uses the environment variable UNSET, which is not set'],
    ['${EMPTY}', 'uses the environment variable EMPTY, which is not set'],
    ['${not a name}', 'is not a variable reference'],
    ['${TOKEN', 'no closing "}"'],
  ])('%s is an issue', (text, message) => {
    const problems: string[] = [];
    substituteString(text, variables, (found) => problems.push(found));
    expect(problems.join()).toContain(message);
  });
});

describe('substituteEnv', () => {
  it('fills in string values at any depth, leaves keys and other values alone, and names each missing variable by path', () => {
    const { value, issues } = substituteEnv({ a: ['${TOKEN}', 3, true, null], '${TOKEN}': { b: '${GONE}' } }, variables);
    expect(value).toEqual({ a: ['t0k', 3, true, null], '${TOKEN}': { b: '${GONE}' } });
    expect(issues).toEqual([{ path: ['${TOKEN}', 'b'], message: 'uses the environment variable GONE, which is not set' }]);
  });
});
