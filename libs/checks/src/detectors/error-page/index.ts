export { errorPageDetector } from './error-page.detector';
export { recogniseErrorPage, type ErrorPageMatch, type ErrorPageResponse } from './recognise-error-page';
export {
  ERROR_PAGE_FINGERPRINTS,
  ERROR_PAGE_MAX_BODY_LENGTH,
  PLAIN_TEXT_PAGE_MAX_LENGTH,
  type ErrorPageBodyShape,
  type ErrorPageCandidate,
  type ErrorPageFingerprint,
  type FingerprintHit,
  type SupportingHeader,
} from './error-page-fingerprints';
