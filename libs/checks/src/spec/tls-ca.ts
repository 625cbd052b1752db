import { X509Certificate } from 'node:crypto';
import { MAX_TLS_CA_CERTIFICATES } from './spec-limits';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Parses the PEM certificates of a `tls.ca` bundle, each one, and throws an `Error` naming the
 * first that is not valid. Node silently skips PEM blocks it cannot parse; a typo in the CA
 * would then read as an untrusted server at every probe, so the spec refuses it when written.
 */
export function readCaCertificates(ca: string): X509Certificate[] {
  const blocks = ca.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new Error('no PEM certificate found (expected -----BEGIN CERTIFICATE----- blocks)');
  if (blocks.length > MAX_TLS_CA_CERTIFICATES) {
    throw new Error(`holds ${blocks.length} certificates, more than the ${MAX_TLS_CA_CERTIFICATES} allowed`);
  }
  return blocks.map((block, index) => {
    try {
      return new X509Certificate(block);
    } catch (error) {
      throw new Error(`certificate ${index + 1} is not valid: ${(error as Error).message}`);
    }
  });
}
