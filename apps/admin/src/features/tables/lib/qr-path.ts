import QRCode from 'qrcode';

/** The standard's quiet zone, in modules: scanners need this much blank around the code. */
const QUIET_ZONE = 4;

export interface QrPath {
  /** Modules per side, quiet zone included: the SVG's viewBox is this square. */
  size: number;
  /** One SVG path drawing every dark module as a 1×1 square. */
  d: string;
}

/**
 * The QR code of `text` as one SVG path, encoded by the qrcode library. Error correction M
 * survives a scuffed sticker on a table.
 */
export function qrPath(text: string): QrPath {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row += 1) {
    for (let column = 0; column < modules.size; column += 1) {
      if (modules.get(row, column)) {
        parts.push(`M${String(column + QUIET_ZONE)} ${String(row + QUIET_ZONE)}h1v1h-1z`);
      }
    }
  }
  return { size: modules.size + 2 * QUIET_ZONE, d: parts.join('') };
}
