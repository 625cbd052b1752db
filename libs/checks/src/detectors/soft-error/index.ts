export { softErrorDetector } from './soft-error.detector';
export { findJsonError, type JsonErrorMatch } from './json-error-body';
export { findHtmlErrorPage, errorTitleKind, type HtmlErrorMatch } from './html-error-page';
export { readHtmlPage, HTML_SCAN_CHARS, type HtmlPage } from './html-page';
