import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/** What a polled read shows: the latest data, the latest error, and when the data was read. */
export interface Polled<T> {
  data: T | undefined;
  /** The last read's error; the data of the read before stays shown. */
  error: unknown;
  loading: boolean;
  /** Epoch ms of the last successful read. */
  updatedAt: number | undefined;
  /** Reads again now (after a write, say). */
  refresh: () => void;
}

/**
 * Reads `load` now and every `intervalMs` while the tab is visible (a hidden tab costs the API
 * nothing, and reads at once when shown again). A read in flight is aborted when the inputs change
 * or the page goes. `intervalMs` 0 reads once per change of `inputs`.
 */
export function usePoll<T>(load: (signal: AbortSignal) => Promise<T>, intervalMs: number, inputs: readonly unknown[]): Polled<T> {
  const [state, setState] = useState<Omit<Polled<T>, 'refresh'>>({ data: undefined, error: undefined, loading: true, updatedAt: undefined });
  const loadRef = useRef(load);
  loadRef.current = load;
  const tick = useRef<() => void>(() => undefined);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let controller: AbortController | undefined;
    setState({ data: undefined, error: undefined, loading: true, updatedAt: undefined });

    const schedule = (): void => {
      if (stopped || intervalMs <= 0) return;
      clearTimeout(timer);
      timer = setTimeout(run, intervalMs);
    };
    const run = (): void => {
      if (stopped) return;
      clearTimeout(timer);
      if (document.visibilityState === 'hidden' && intervalMs > 0) return;
      controller?.abort();
      const current = new AbortController();
      controller = current;
      loadRef.current(current.signal).then(
        (data) => {
          if (stopped || current.signal.aborted) return;
          setState({ data, error: undefined, loading: false, updatedAt: Date.now() });
          schedule();
        },
        (error: unknown) => {
          if (stopped || current.signal.aborted) return;
          setState((previous) => ({ ...previous, error, loading: false }));
          schedule();
        },
      );
    };
    tick.current = run;
    const onVisibility = (): void => {
      if (document.visibilityState === 'visible') run();
    };
    document.addEventListener('visibilitychange', onVisibility);
    run();
    return () => {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [intervalMs, ...inputs]);

  const refresh = useCallback(() => tick.current(), []);
  return { ...state, refresh };
}
