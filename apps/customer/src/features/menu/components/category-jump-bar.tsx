import { Button } from '@mantine/core';
import { type MouseEvent, useEffect, useRef, useState } from 'react';

/** The id of a category's section on the menu page. */
export function categorySectionId(index: number): string {
  return `category-section-${String(index)}`;
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

  useEffect(() => {
    let frame = 0;
    const update = (): void => {
      frame = 0;
      const line = (bar.current?.getBoundingClientRect().bottom ?? 0) + 16;
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
    update();
    window.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('resize', onScroll, { passive: true });
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('scroll', onScroll);
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
    const below = bar.current?.getBoundingClientRect().bottom ?? 0;
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
