import type { ProbeError, RedirectHop, RequestOutcome, ResponseFacts } from '../observation/observation';
import { readBody, type BodyRead } from './decode-body';
import { exchange, type ExchangeContext, type HopResponse } from './exchange';
import { authorityOf, type HopRequest } from './hop-request';
import { elapsedSince, startHop } from './hop-progress';
import { toProbeError } from './probe-error';
import { isRedirectStatus, planRedirect, visitKey } from './redirects';

/** A request's settings beside the per-hop context. */
export interface RequestRun extends ExchangeContext {
  followRedirects: boolean;
  maxRedirects: number;
  maxBodyBytes: number;
  /** The monitor's headers may follow a redirect to another origin (see `planRedirect`). */
  forwardHeadersCrossOrigin: boolean;
}

/**
 * Makes one request and follows its redirects hop by hop, each on a fresh, policy-checked
 * connection. Never throws: whatever went wrong is the outcome's `error`, beside everything seen
 * until then (redirect chain, timings, certificate, and the response when its headers arrived —
 * with the part of the body read before a body-phase failure).
 */
export async function performRequest(
  first: HopRequest,
  run: RequestRun,
  conditional?: RequestOutcome['conditional'],
): Promise<RequestOutcome> {
  const start = performance.now();
  const redirects: RedirectHop[] = [];
  const visited = new Set<string>([visitKey(first)]);
  let hop = first;
  let progress = startHop();

  const outcome = (fields: { response?: ResponseFacts; error?: ProbeError }): RequestOutcome => {
    // The last hop's own timings object, finished with the total (it is this request's, not shared).
    const timings = progress.timings as RequestOutcome['timings'];
    timings.total = elapsedSince(start);
    const result: RequestOutcome = { url: first.url.href, method: first.method, finalUrl: hop.url.href, redirects, timings };
    if (progress.connected && progress.address !== undefined) result.remoteAddress = progress.address;
    if (fields.response) result.response = fields.response;
    if (fields.error) result.error = fields.error;
    if (progress.certificate) result.tls = progress.certificate;
    if (conditional) result.conditional = conditional;
    return result;
  };
  const failure = (error: unknown): ProbeError =>
    toProbeError(error, {
      phase: progress.phase,
      url: hop.url.href,
      authority: authorityOf(hop.url),
      ...(progress.address !== undefined ? { address: progress.address } : {}),
      timedOut: run.deadline.expired,
      timeoutMs: run.deadline.timeoutMs,
    });

  for (;;) {
    progress = startHop();
    let response: HopResponse | undefined;
    try {
      response = await exchange(hop, run, progress);
      if (run.followRedirects && isRedirectStatus(response.status)) {
        const plan = planRedirect(hop, response.status, response.headers['location'], {
          visited,
          followed: redirects.length,
          maxRedirects: run.maxRedirects,
          forwardHeadersCrossOrigin: run.forwardHeadersCrossOrigin,
        });
        if (plan.kind === 'follow') {
          response.release();
          redirects.push(plan.hop);
          visited.add(visitKey(plan.next));
          hop = plan.next;
          continue;
        }
        // The redirect that could not be followed is the evidence (its Location names where it
        // pointed); its body is read like any other, but the redirect failure is what is reported.
        const read = await readResponse(hop, response, run.maxBodyBytes);
        return outcome({
          response: read.response,
          error: { code: plan.code, phase: 'headers', url: hop.url.href, message: plan.message },
        });
      }
      const read = await readResponse(hop, response, run.maxBodyBytes);
      return outcome({ response: read.response, ...(read.error !== undefined ? { error: failure(read.error) } : {}) });
    } catch (error) {
      response?.release();
      return outcome({ error: failure(error) });
    }
  }
}

/** Reads (or, when HTTP says there is none, skips) the body and releases the hop. */
async function readResponse(hop: HopRequest, response: HopResponse, capBytes: number): Promise<{ response: ResponseFacts; error?: unknown }> {
  let read: BodyRead;
  if (hasNoBody(hop.method, response.status)) {
    response.release();
    read = { facts: { body: '', bodyBytes: 0, bodyTruncated: false } };
  } else {
    try {
      read = await readBody(response.body, response.headers['content-encoding'], capBytes);
    } finally {
      response.release();
    }
  }
  return {
    response: {
      status: response.status,
      headers: response.headers,
      ...read.facts,
      ...(response.httpVersion !== undefined ? { httpVersion: response.httpVersion } : {}),
    },
    ...(read.error !== undefined ? { error: read.error } : {}),
  };
}

/** RFC 9110 §6.4.1: responses to HEAD, and 1xx, 204 and 304 responses, never have content. */
function hasNoBody(method: string, status: number): boolean {
  return method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);
}
