export { operatorPageDetector } from './operator-page.detector';
export {
  recogniseOperatorPage,
  TEXT_PAGE_MAX_CHARS,
  HTML_PAGE_MAX_CHARS,
  type OperatorPageMatch,
  type OperatorPageInput,
  type OperatorTextPlace,
} from './recognise-operator-page';
export { findPhrases, normaliseText, type PhraseHit, type PhraseWeight } from './operator-phrases';
