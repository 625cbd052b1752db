import { isIP } from 'node:net';
import { ADDRESS_BODY_CAP_BYTES } from '@crosscheck/checks';

/**
 * The agent's memory budget: bytes of response bodies in flight, shared by every check.
 *
 * A check reserves what its bodies may cost before it probes, and gives it back once it has judged
 * what it read: {@link RESERVED_PER_CAP_BYTE} bytes per byte of its monitor's `maxBodyBytes`, once
 * per request it makes (twice with the cache-bypassing request), and as much for each address of
 * the host it may request on its own (`spec.addresses`: at most `max` of them, each capped at
 * `ADDRESS_BODY_CAP_BYTES`; the probe learns how many there are only once it has resolved the name,
 * so the most it may make is reserved). Reserving the cap rather than
 * counting what is actually read is deliberate: a check waits before it has opened a connection, so
 * memory pressure at the agent only ever makes a check late (dropped at its deadline: the region is
 * missing for that round), never slow or timed out, which would read as the target being down.
 * Counting bytes as they arrive would have to pause a half-read response when the budget runs out
 * (its timings then measure the agent, not the target), and checks holding half of their bodies
 * while waiting for the rest can starve one another until their probe deadlines fire.
 *
 * The price: a monitor whose bodies are small still holds its whole cap while it probes, so a
 * budget admits `budget / (2 × cap × requests)` checks probing at once (64 with the defaults);
 * more wait their turn. Reserved bytes that are not read cost nothing, so raising the budget on an
 * agent whose monitors answer small bodies is cheap.
 */

/**
 * Bytes reserved per byte of body cap. A body is held twice at the end of its read: as the bytes
 * read and as the text decoded from them; the bytes are freed only when the garbage collector
 * gets to them, while the next bodies are already being read. Measured with `npm run bench:memory`
 * (1,000 checks on 4 MiB bodies): reserving the cap once let RSS reach 1.0-1.3 times the budget
 * plus the idle agent's; twice keeps it under.
 */
export const RESERVED_PER_CAP_BYTE = 2;

/** `AGENT_MEMORY_BUDGET_BYTES` by default: 256 MiB, i.e. 16 checks of 4 MiB bodies, or 64 of the default 1 MiB, with their bypass requests. */
export const DEFAULT_MEMORY_BUDGET_BYTES = 256 * 1024 * 1024;

/** One check's hold on the budget; `release()` gives it back (safe to call more than once). */
export interface BodyReservation {
  readonly bytes: number;
  release(): void;
}

/** Why a reservation was not granted: the check's deadline came first, or the agent is stopping. */
export type BodyBudgetRefusal = 'deadline' | 'stopping';

interface Waiter {
  bytes: number;
  grant: (reservation: BodyReservation) => void;
  refuse: (reason: BodyBudgetRefusal) => void;
  timer: NodeJS.Timeout | undefined;
}

/**
 * A counting semaphore over bytes, first come first served: a check is granted its bytes only
 * when every check that asked before it has been, so a large request is never overtaken forever
 * by a stream of small ones. Waiting costs no memory beyond the job itself.
 */
export class BodyBudget {
  private reserved = 0;
  private readonly queue: Waiter[] = [];
  private stopping = false;

  constructor(readonly totalBytes: number) {
    if (!Number.isSafeInteger(totalBytes) || totalBytes <= 0) throw new RangeError(`a body budget must be a positive integer, got ${totalBytes}`);
  }

  /** Bytes held by checks now. */
  get reservedBytes(): number {
    return this.reserved;
  }

  /** Checks waiting for their bytes now. */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Reserves `bytes` (at most {@link totalBytes}: see {@link planBodyReservation}), waiting in
   * line for at most `waitMs`. Resolves the reservation, or the reason it was not granted.
   */
  reserve(bytes: number, waitMs: number): Promise<BodyReservation | BodyBudgetRefusal> {
    if (!Number.isSafeInteger(bytes) || bytes < 0 || bytes > this.totalBytes) {
      throw new RangeError(`cannot reserve ${bytes} bytes of a ${this.totalBytes}-byte budget`);
    }
    if (this.stopping) return Promise.resolve('stopping');
    if (this.queue.length === 0 && this.fits(bytes)) return Promise.resolve(this.take(bytes));
    if (waitMs <= 0) return Promise.resolve('deadline');
    return new Promise((resolve) => {
      const waiter: Waiter = { bytes, grant: resolve, refuse: resolve, timer: undefined };
      // Node fires a timer of more than 2^31-1 ms at once: a far deadline waits that long at most.
      waiter.timer = setTimeout(() => this.giveUp(waiter, 'deadline'), Math.min(waitMs, 2 ** 31 - 1));
      this.queue.push(waiter);
    });
  }

  /** Refuses every waiting check and every later request (the agent is shutting down); held reservations stay valid. */
  stop(): void {
    this.stopping = true;
    for (const waiter of this.queue.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.refuse('stopping');
    }
  }

  private fits(bytes: number): boolean {
    return this.reserved + bytes <= this.totalBytes;
  }

  private take(bytes: number): BodyReservation {
    this.reserved += bytes;
    let held = true;
    return {
      bytes,
      release: () => {
        if (!held) return;
        held = false;
        this.reserved -= bytes;
        this.grantWaiting();
      },
    };
  }

  /** Grants the head of the line for as long as it fits; nobody behind it jumps ahead. */
  private grantWaiting(): void {
    for (let head = this.queue[0]; head !== undefined && this.fits(head.bytes); head = this.queue[0]) {
      this.queue.shift();
      clearTimeout(head.timer);
      head.grant(this.take(head.bytes));
    }
  }

  private giveUp(waiter: Waiter, reason: BodyBudgetRefusal): void {
    const index = this.queue.indexOf(waiter);
    if (index === -1) return;
    this.queue.splice(index, 1);
    waiter.refuse(reason);
    // The head leaving may let the next ones in.
    if (index === 0) this.grantWaiting();
  }
}

/** What a check reserves, and the body cap its requests then use. */
export interface BodyReservationPlan {
  /** Bytes to reserve: {@link RESERVED_PER_CAP_BYTE} × (the cap × the requests + the per-address cap × the address requests). */
  bytes: number;
  /** The body cap each request uses: the monitor's, unless that alone would not fit the budget. */
  maxBodyBytes: number;
  /** Requests the probe makes: 2 with the cache-bypassing request, else 1. */
  requests: number;
  /** Per-address requests the probe may make besides (`spec.addresses.max`, 0 when `checkEach` is off), each capped at min(maxBodyBytes, ADDRESS_BODY_CAP_BYTES). */
  addressRequests: number;
  /** Set when the monitor's cap was lowered to fit the whole budget: the cap it asked for. */
  clampedFrom?: number;
}

/**
 * The reservation of a check of this spec. A check whose bodies alone would exceed the whole
 * budget is not refused: its cap is lowered to its share of the budget, and it runs alone. Its
 * verdict then says so itself when the body was longer (`body_truncated`, with the cap that
 * applied), and the agent logs the mismatch.
 */
export function planBodyReservation(
  spec: { maxBodyBytes: number; cacheBypass: boolean; addresses?: { checkEach: boolean; max: number }; url?: string },
  totalBytes: number,
): BodyReservationPlan {
  const requests = spec.cacheBypass ? 2 : 1;
  // A spec always has `addresses` once compiled; without it, the schema's default (check up to 8).
  // An IP literal has one address: no per-address requests are made for it.
  const addressRequests =
    spec.url !== undefined && isLiteralHost(spec.url) ? 0 : spec.addresses === undefined ? 8 : spec.addresses.checkEach ? spec.addresses.max : 0;
  const bytesFor = (cap: number): number => RESERVED_PER_CAP_BYTE * (cap * requests + Math.min(cap, ADDRESS_BODY_CAP_BYTES) * addressRequests);
  const plan = { requests, addressRequests };
  if (bytesFor(spec.maxBodyBytes) <= totalBytes) return { bytes: bytesFor(spec.maxBodyBytes), maxBodyBytes: spec.maxBodyBytes, ...plan };
  // The largest cap that fits: the per-address requests at their own cap, the rest shared by the
  // user's requests; or, on a budget too small for that, one cap for every request.
  const units = Math.floor(totalBytes / RESERVED_PER_CAP_BYTE);
  const shared = Math.floor((units - ADDRESS_BODY_CAP_BYTES * addressRequests) / requests);
  const maxBodyBytes = shared >= ADDRESS_BODY_CAP_BYTES ? shared : Math.floor(units / (requests + addressRequests));
  return { bytes: bytesFor(maxBodyBytes), maxBodyBytes, ...plan, clampedFrom: spec.maxBodyBytes };
}

/** Whether the URL's host is an IP address (`http://127.0.0.1/`, `http://[::1]/`), not a name. */
function isLiteralHost(url: string): boolean {
  try {
    return isIP(new URL(url).hostname.replace(/^\[|\]$/g, '')) !== 0;
  } catch {
    return false;
  }
}
