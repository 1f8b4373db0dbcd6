/** Small line icons for the tab bar (inline SVG: no icon font, no emoji font needed). */
const PATHS = {
  menu: 'M7 4h9v15a2 2 0 0 1-2 2H9a2 2 0 0 1-2-2zM16 8h2a2 2 0 0 1 2 2v4a2 2 0 0 1-2 2h-2M7 8h9',
  cart: 'M3 4h2l2.4 11h10.2L20 8H6.2M9 20a1 1 0 1 0 0-.01M17 20a1 1 0 1 0 0-.01',
  orders: 'M6 3h12v18l-3-2-3 2-3-2-3 2zM9 8h6M9 12h6M9 16h3',
  account: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0',
} as const;

export function NavIcon({ name }: { name: keyof typeof PATHS }) {
  return (
    <svg
      className="nav-icon"
      width="24"
      height="24"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
