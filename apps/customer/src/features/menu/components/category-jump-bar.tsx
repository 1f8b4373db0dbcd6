import { Button } from '@mantine/core';
import { type MouseEvent, useEffect, useRef, useState } from 'react';

/** The id of a category's section on the menu page. */
export function categorySectionId(index: number): string {
  return `category-section-${String(index)}`;
}

/** Where the bar's bottom edge is once it has stuck under the header (not where it starts). */
function stuckBottom(bar: HTMLElement | null): number {
  if (bar === null) return 0;
  return (Number.parseFloat(getComputedStyle(bar).top) || 0) + bar.offsetHeight;
}

function prefersReducedMotion(): boolean {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/**
 * A sticky row of the menu's categories under the header: a tap scrolls to that section (and
 * moves focus there), and the section being read is highlighted as the page scrolls. Plain
 * links, so it works with a keyboard and a screen reader as a list of in-page links.
 */
export function CategoryJumpBar({ categories }: { categories: readonly string[] }) {
  const bar = useRef<HTMLElement>(null);
  const [active, setActive] = useState(0);
  /** While a tap's scroll runs, the tapped category stays highlighted (not each one passed). */
  const jumping = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    let frame = 0;
    const update = (): void => {
      frame = 0;
      if (jumping.current !== null) return;
      const line = stuckBottom(bar.current) + 16;
      const root = document.documentElement;
      let current = 0;
      categories.forEach((_, index) => {
        const top = document.getElementById(categorySectionId(index))?.getBoundingClientRect().top;
        if (top !== undefined && top <= line) current = index;
      });
      // At the very bottom a short last section never reaches the line: it is the one being read.
      if (window.scrollY > 0 && window.innerHeight + window.scrollY >= root.scrollHeight - 2) {
        current = categories.length - 1;
      }
      setActive(current);
    };
    const onScroll = (): void => {
      if (frame === 0) frame = requestAnimationFrame(update);
    };
    const onScrollEnd = (): void => {
      if (jumping.current === null) return;
      clearTimeout(jumping.current);
      jumping.current = null;
      onScroll();
    };
    update();
    window.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('scrollend', onScrollEnd);
    window.addEventListener('resize', onScroll, { passive: true });
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('scroll', onScroll);
      window.removeEventListener('scrollend', onScrollEnd);
      window.removeEventListener('resize', onScroll);
    };
  }, [categories]);

  // Keep the highlighted chip in view within the bar.
  useEffect(() => {
    const row = bar.current;
    const chip = row?.querySelectorAll<HTMLElement>('a')[active];
    if (row === null || chip === undefined) return;
    if (
      chip.offsetLeft < row.scrollLeft ||
      chip.offsetLeft + chip.offsetWidth > row.scrollLeft + row.clientWidth
    ) {
      row.scrollTo({
        left: chip.offsetLeft - 16,
        behavior: prefersReducedMotion() ? 'auto' : 'smooth',
      });
    }
  }, [active]);

  function jump(event: MouseEvent<HTMLAnchorElement>, index: number): void {
    const section = document.getElementById(categorySectionId(index));
    if (section === null) return;
    event.preventDefault();
    if (jumping.current !== null) clearTimeout(jumping.current);
    // `scrollend` ends it; the timer is for a scroll that had nowhere to go.
    jumping.current = setTimeout(() => {
      jumping.current = null;
    }, 1_000);
    const below = stuckBottom(bar.current);
    window.scrollTo({
      top: window.scrollY + section.getBoundingClientRect().top - below - 8,
      behavior: prefersReducedMotion() ? 'auto' : 'smooth',
    });
    section.querySelector<HTMLElement>('h2')?.focus({ preventScroll: true });
    setActive(index);
  }

  return (
    <nav ref={bar} aria-label="Menu categories" className="jump-bar" data-testid="jump-bar">
      {categories.map((category, index) => (
        <Button
          key={category}
          component="a"
          href={`#${categorySectionId(index)}`}
          size="compact-md"
          radius="xl"
          variant={index === active ? 'filled' : 'light'}
          aria-current={index === active ? 'true' : undefined}
          style={{ flexShrink: 0 }}
          onClick={(event: MouseEvent<HTMLAnchorElement>) => {
            jump(event, index);
          }}
        >
          {category}
        </Button>
      ))}
    </nav>
  );
}
