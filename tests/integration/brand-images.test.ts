/**
 * The images in public/ have the sizes BigCommerce's publishing guide names for a Marketplace
 * listing (App Logo 350 × 130, App Icon 200 × 200, Alternate Logo 259 × 158), and the favicon is a
 * real ICO. They are rendered from assets/brand/ by scripts/render-brand.mjs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file);
  expect(png.subarray(1, 4).toString('ascii'), `${file} is a PNG`).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('brand images', () => {
  it.each([
    ['public/marketplace/app-logo-350x130.png', 350, 130],
    ['public/marketplace/app-icon-200x200.png', 200, 200],
    ['public/marketplace/alternate-logo-259x158.png', 259, 158],
    ['public/icon.png', 200, 200],
  ])('%s is %i × %i', (file, width, height) => {
    expect(pngSize(file)).toEqual({ width, height });
  });

  it('favicon.ico holds the mark at 16, 32 and 48 px', () => {
    const ico = readFileSync('public/favicon.ico');
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const count = ico.readUInt16LE(4);
    const sizes = Array.from({ length: count }, (_, i) => ico.readUInt8(6 + 16 * i));
    expect(sizes).toEqual([16, 32, 48]);
    for (let i = 0; i < count; i++) {
      const offset = ico.readUInt32LE(6 + 16 * i + 12);
      expect(ico.subarray(offset + 1, offset + 4).toString('ascii')).toBe('PNG');
    }
  });
});
