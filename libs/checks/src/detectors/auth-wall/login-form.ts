import type { HtmlPage } from '../soft-error/html-page';

const PASSWORD_TYPE = /\btype\s*=\s*["']?password\b/;
/** Sign-in wording in a title or main heading, in the languages login pages most often use. */
const LOGIN_WORDING =
  /\b(?:log[\s-]?in|sign[\s-]?in|log[\s-]?on|sign[\s-]?on|single sign-on|sso|authenticate|authentication required|anmelden|connexion|se connecter|iniciar sesi[oó]n|accedi|inloggen|entrar)\b/i;

/**
 * The title or heading of a page that is plainly a sign-in form: a password field inside a
 * `<form>`, and sign-in wording in the `<title>` or first `<h1>`. Both are required, so a
 * sign-up page ("Create your account") or a home page with a small login box in its header does
 * not count. Returns `undefined` when the page is not one.
 */
export function findLoginForm(page: HtmlPage): string | undefined {
  const { lower } = page;
  if (!lower.includes('password')) return undefined;
  const input = passwordInputAt(lower);
  if (input < 0) return undefined;
  const formStart = lower.lastIndexOf('<form', input);
  if (formStart < 0 || lower.lastIndexOf('</form', input) > formStart) return undefined;
  for (const heading of [page.title, page.h1]) {
    if (heading !== undefined && LOGIN_WORDING.test(heading)) return heading;
  }
  return undefined;
}

/** Index of the first `<input type=password>`, or -1. Walks tag by tag so hostile markup costs linear time. */
function passwordInputAt(lower: string): number {
  let from = 0;
  for (;;) {
    const start = lower.indexOf('<input', from);
    if (start < 0) return -1;
    const end = lower.indexOf('>', start);
    if (end < 0) return -1;
    if (PASSWORD_TYPE.test(lower.slice(start, end))) return start;
    from = end + 1;
  }
}
