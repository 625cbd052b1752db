import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Deadline, DeadlineExceeded } from './deadline';

describe('Deadline', () => {
  it('calls the steps subscribed when it passes, once each, and not those that unsubscribed', async () => {
    const deadline = new Deadline(20);
    const calls: string[] = [];
    deadline.onExpire((reason) => calls.push(`a:${reason.code}`));
    const unsubscribe = deadline.onExpire(() => calls.push('b'));
    unsubscribe();
    expect(deadline.expired).toBe(false);
    await sleep(60);
    expect(deadline.expired).toBe(true);
    expect(calls).toEqual(['a:CROSSCHECK_DEADLINE']);
    deadline.dispose();
  });

  it('calls a step that subscribes after it passed at once, and its signal (made late) is aborted with the same reason', async () => {
    const deadline = new Deadline(5);
    await sleep(30);
    let seen: DeadlineExceeded | undefined;
    const unsubscribe = deadline.onExpire((reason) => (seen = reason));
    expect(seen).toBeInstanceOf(DeadlineExceeded);
    unsubscribe();
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.signal.reason).toBe(seen);
    deadline.dispose();
  });

  it('aborts a signal made before it passes', async () => {
    const deadline = new Deadline(10);
    const signal = deadline.signal;
    expect(signal.aborted).toBe(false);
    await sleep(40);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(DeadlineExceeded);
    deadline.dispose();
  });

  it('races work: its value before the deadline, the deadline after, and a rejection of work already too late', async () => {
    const deadline = new Deadline(30);
    await expect(deadline.race(Promise.resolve(7))).resolves.toBe(7);
    await expect(deadline.race(Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    await expect(deadline.race(new Promise(() => undefined))).rejects.toBeInstanceOf(DeadlineExceeded);
    await expect(deadline.race(Promise.reject(new Error('late')))).rejects.toBeInstanceOf(DeadlineExceeded);
    deadline.dispose();
  });

  it('never fires once disposed', async () => {
    const deadline = new Deadline(10);
    let called = false;
    deadline.onExpire(() => (called = true));
    deadline.dispose();
    await sleep(40);
    expect(called).toBe(false);
    expect(deadline.expired).toBe(false);
  });
});
