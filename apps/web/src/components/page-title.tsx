import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/** Whether a page was shown before this one in the tab (the first needs no focus moved). */
let navigated = false;

/**
 * A page's heading: the document's title follows it, and it takes the focus when the page opens,
 * so a screen reader announces where a link led and Tab continues from the top of the page.
 */
export function PageTitle({ title, children }: { title: string; children?: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Crosscheck`;
  }, [title]);
  useEffect(() => {
    // Not on the first page load: the browser's own focus (the top of the document) is right then.
    if (navigated) heading.current?.focus({ preventScroll: false });
    navigated = true;
  }, []);
  return (
    <h1 ref={heading} tabIndex={-1}>
      {children ?? title}
    </h1>
  );
}
