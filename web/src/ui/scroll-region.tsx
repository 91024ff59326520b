import type { ReactNode } from "react";

/**
 * Something wide or long (a table, a rulebook's text) that scrolls inside the page. Keyboard
 * users scroll it too: the region takes focus (then the arrow keys scroll it), and is named
 * for screen readers.
 */
export function ScrollRegion({
  label,
  className = "table-scroll",
  children,
}: Readonly<{ label: string; className?: string; children: ReactNode }>) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable (WCAG 2.1.1)
    <section className={className} aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
