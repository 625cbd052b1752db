/**
 * A real headless browser for end-to-end suites: Debian's Chromium (`/usr/bin/chromium`, which
 * `npm run setup` installs) driven by playwright-core, with what the suites check on every page:
 * console errors and CSP violations, horizontal overflow, the keyboard's tab order, and screenshots
 * written to `SCREENSHOTS_DIR` when it is set (never into the repository otherwise).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Starts headless Chromium; a clear error when it is not installed. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: install Debian's chromium package (\`npm run setup\` does)`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true });
}

/** What went wrong in a page while a suite drove it. */
export interface PageProblems {
  /** Uncaught exceptions. */
  readonly errors: string[];
  /** Content-Security-Policy violations the console reported. */
  readonly cspViolations: string[];
}

/**
 * A page in a fresh context (its own session storage: a fresh tab), recording uncaught errors and
 * CSP violations. `viewport` defaults to 1280 x 900.
 */
export async function openPage(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const problems: PageProblems = { errors: [], cspViolations: [] };
  page.on('pageerror', (error) => problems.errors.push(error.message));
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to (load|execute|apply)/i.test(message.text())) problems.cspViolations.push(message.text());
  });
  return { context, page, problems };
}

// What runs in the page is given as source text: the suites' TypeScript knows Node, not the DOM.

/** How many CSS pixels the document is wider than the viewport (0: no horizontal scrolling). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - document.documentElement.clientWidth');
}

/** One stop of the keyboard's focus: the element's tag, id and accessible text (its label, ARIA label or text). */
export interface FocusStop {
  tag: string;
  id: string;
  text: string;
}

const FOCUSED = `(() => {
  const element = document.activeElement;
  if (!element || element === document.body) return { tag: 'body', id: '', text: '' };
  const label = element.id ? document.querySelector('label[for="' + CSS.escape(element.id) + '"]') : null;
  const text = element.getAttribute('aria-label') ?? label?.textContent ?? element.textContent ?? '';
  return { tag: element.tagName.toLowerCase(), id: element.id, text: text.replace(/\\s+/g, ' ').trim() };
})()`;

/** Where the keyboard's focus is. */
export async function focused(page: Page): Promise<FocusStop> {
  return page.evaluate<FocusStop>(FOCUSED);
}

/** A value of the page's session storage. */
export async function sessionValue(page: Page, key: string): Promise<string | null> {
  return page.evaluate<string | null>(`sessionStorage.getItem(${JSON.stringify(key)})`);
}

/** Goes to a fragment of the page's app (`#/incidents/…`), as a link would. */
export async function goToFragment(page: Page, fragment: string): Promise<void> {
  await page.evaluate(`location.hash = ${JSON.stringify(fragment)}`);
}

/**
 * Presses Tab `count` times from where the focus is and records each element it lands on, so a
 * suite can check that the keyboard reaches an action.
 */
export async function tabStops(page: Page, count: number): Promise<FocusStop[]> {
  const stops: FocusStop[] = [];
  for (let index = 0; index < count; index++) {
    await page.keyboard.press('Tab');
    stops.push(await focused(page));
  }
  return stops;
}

/**
 * Saves a full-page screenshot (or of `element` alone) as `<SCREENSHOTS_DIR>/<name>.png` when
 * `SCREENSHOTS_DIR` is set; returns the path, or `null`.
 */
export async function screenshot(page: Page, name: string, element?: Locator): Promise<string | null> {
  const dir = process.env['SCREENSHOTS_DIR'];
  if (dir === undefined || dir === '') return null;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  if (element) await element.screenshot({ path });
  else await page.screenshot({ path, fullPage: true });
  return path;
}
