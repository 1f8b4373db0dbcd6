import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { qrPath } from './qr-path';

const URL_ = 'http://127.0.0.1:3000/t/3q2-7wFh0cJ9r0yXg8mE1kQJb3o5vC1nS7aZ8dW4eR0';

describe('qrPath', () => {
  it('draws every dark module of the code, in place, inside a four-module quiet zone', () => {
    const { modules } = QRCode.create(URL_, { errorCorrectionLevel: 'M' });
    const path = qrPath(URL_);
    expect(path.size).toBe(modules.size + 8);
    const drawn = new Set(
      [...path.d.matchAll(/M(\d+) (\d+)h1v1h-1z/g)].map(([, x, y]) => `${String(x)},${String(y)}`),
    );
    const dark = new Set<string>();
    for (let row = 0; row < modules.size; row += 1) {
      for (let column = 0; column < modules.size; column += 1) {
        if (modules.get(row, column)) dark.add(`${String(column + 4)},${String(row + 4)}`);
      }
    }
    expect(drawn).toEqual(dark);
    // The finder pattern's corner: the top-left module of the code itself is dark.
    expect(drawn.has('4,4')).toBe(true);
    expect(drawn.has('3,3')).toBe(false);
  });

  it('changes with the link: a rotated token draws another code', () => {
    expect(qrPath(`${URL_}x`).d).not.toBe(qrPath(URL_).d);
  });
});
