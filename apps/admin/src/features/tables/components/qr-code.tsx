import { useMemo } from 'react';
import { qrPath } from '../lib/qr-path';

/** The QR code of `url`, drawn as SVG at `size` (any CSS length): sharp at any print size. */
export function QrCode({ url, size, label }: { url: string; size: string; label: string }) {
  const path = useMemo(() => qrPath(url), [url]);
  return (
    <svg
      role="img"
      aria-label={label}
      data-qr-url={url}
      viewBox={`0 0 ${String(path.size)} ${String(path.size)}`}
      width={size}
      height={size}
      shapeRendering="crispEdges"
    >
      <rect width="100%" height="100%" fill="#fff" />
      <path d={path.d} fill="#000" />
    </svg>
  );
}
