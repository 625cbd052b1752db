/**
 * Sets `key` as an own, enumerable property, even when it is `__proto__`: keys of parsed JSON
 * bodies are data, and must never reach an object's prototype.
 */
export function setOwnProperty(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
