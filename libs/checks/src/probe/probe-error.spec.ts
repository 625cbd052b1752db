import { describe, expect, it } from 'vitest';
import type { ProbeErrorCode, ProbePhase } from '../observation/observation';
import { ProbeFailure, toProbeError, type FailureContext } from './probe-error';

function systemError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

const context = (phase: ProbePhase, timedOut = false): FailureContext => ({
  phase,
  url: 'https://api.test/health',
  authority: 'api.test:443',
  address: '192.0.2.10',
  timedOut,
  timeoutMs: 5000,
});

describe('toProbeError', () => {
  it.each<[string, unknown, ProbePhase, ProbeErrorCode]>([
    ['ECONNREFUSED', systemError('ECONNREFUSED'), 'connect', 'connection_refused'],
    ['ECONNRESET', systemError('ECONNRESET'), 'headers', 'connection_reset'],
    ['EPIPE', systemError('EPIPE'), 'request', 'connection_reset'],
    ['undici other side closed', systemError('UND_ERR_SOCKET', 'other side closed'), 'headers', 'connection_reset'],
    ['ENOTFOUND', systemError('ENOTFOUND'), 'dns', 'dns_failure'],
    ['EAI_AGAIN', systemError('EAI_AGAIN'), 'dns', 'dns_failure'],
    ['ENODATA', systemError('ENODATA'), 'dns', 'dns_failure'],
    ['any other lookup failure', systemError('EBADNAME'), 'dns', 'dns_failure'],
    ['EHOSTUNREACH', systemError('EHOSTUNREACH'), 'connect', 'connection_failed'],
    ['ENETUNREACH', systemError('ENETUNREACH'), 'connect', 'connection_failed'],
    ['unknown error while connecting', new Error('weird'), 'connect', 'connection_failed'],
    ['cert error', systemError('CERT_HAS_EXPIRED'), 'tls', 'tls_error'],
    ['SSL error', systemError('ERR_SSL_WRONG_VERSION_NUMBER'), 'tls', 'tls_error'],
    ['reset during handshake', systemError('ECONNRESET'), 'tls', 'tls_error'],
    ['headers overflow', systemError('UND_ERR_HEADERS_OVERFLOW'), 'headers', 'headers_too_large'],
    ['parser error', systemError('HPE_INVALID_CONSTANT'), 'headers', 'protocol_error'],
    ['content-length mismatch', systemError('UND_ERR_RES_CONTENT_LENGTH_MISMATCH'), 'body', 'protocol_error'],
    ['undici headers timeout', systemError('UND_ERR_HEADERS_TIMEOUT'), 'headers', 'timeout'],
    ['a classified failure', new ProbeFailure('blocked_target', 'connect', 'refused'), 'connect', 'blocked_target'],
  ])('%s -> %s', (_name, error, phase, code) => {
    const mapped = toProbeError(error, context(phase));
    expect(mapped.code).toBe(code);
    expect(mapped.url).toBe('https://api.test/health');
    expect(mapped.message).not.toBe('');
  });

  it('names host and address in the message', () => {
    const mapped = toProbeError(systemError('ECONNREFUSED'), context('connect'));
    expect(mapped.message).toBe('api.test:443 (192.0.2.10) refused the connection');
  });

  it('blames the deadline, in the phase it was in, whatever the error says', () => {
    const mapped = toProbeError(systemError('ECONNRESET'), context('body', true));
    expect(mapped).toMatchObject({ code: 'timeout', phase: 'body' });
    expect(mapped.message).toContain('5000 ms');
  });
});
