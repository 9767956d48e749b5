#!/usr/bin/env node
/**
 * Renders the brand images in public/ from their SVG sources in assets/brand/, with headless
 * Chromium (playwright-core, no browser download), so the PNGs are reproducible:
 *   node scripts/render-brand.mjs
 * Sizes are the ones BigCommerce's app publishing guide names for a Marketplace listing: App
 * Logo 350 × 130 (white background, dark branding), App Icon 200 × 200, Alternate Logo 259 × 158
 * (colour background, light branding). favicon.ico holds the mark at 16, 32 and 48 px (PNG
 * entries, which every current browser reads).
 */
import { Buffer } from 'node:buffer';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');
const source = (name) => readFileSync(path.join(root, 'assets/brand', name), 'utf8');
const font = readFileSync(path.join(root, 'node_modules/@fontsource/source-sans-3/files/source-sans-3-latin-700-normal.woff2')).toString('base64');

const outputs = [
  { svg: 'mark.svg', width: 200, height: 200, out: 'public/marketplace/app-icon-200x200.png' },
  { svg: 'mark.svg', width: 200, height: 200, out: 'public/icon.png' },
  { svg: 'logo.svg', width: 350, height: 130, out: 'public/marketplace/app-logo-350x130.png' },
  { svg: 'alternate-logo.svg', width: 259, height: 158, out: 'public/marketplace/alternate-logo-259x158.png' },
];
const faviconSizes = [16, 32, 48];

function page(svg, width, height) {
  const sized = svg.replace(/width="\d+" height="\d+"/, `width="${width}" height="${height}"`);
  return `<!doctype html><html><head><style>
@font-face { font-family: 'Source Sans 3'; font-weight: 700; src: url(data:font/woff2;base64,${font}) format('woff2'); }
html, body { margin: 0; padding: 0; background: transparent; }
svg { display: block; }
</style></head><body>${sized}</body></html>`;
}

/** An ICO file whose entries are PNG images (ICONDIR, one ICONDIRENTRY each, then the data). */
function ico(pngs) {
  const header = Buffer.alloc(6 + 16 * pngs.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(pngs.length, 4);
  let offset = header.length;
  pngs.forEach(({ size, data }, i) => {
    const at = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, at);
    header.writeUInt8(size >= 256 ? 0 : size, at + 1);
    header.writeUInt8(0, at + 2);
    header.writeUInt8(0, at + 3);
    header.writeUInt16LE(1, at + 4);
    header.writeUInt16LE(32, at + 6);
    header.writeUInt32LE(data.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...pngs.map((p) => p.data)]);
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const render = async (svg, width, height) => {
    const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
    const tab = await context.newPage();
    await tab.setContent(page(source(svg), width, height));
    await tab.evaluate('document.fonts.ready');
    const png = await tab.screenshot({ clip: { x: 0, y: 0, width, height }, omitBackground: true });
    await context.close();
    return png;
  };
  for (const o of outputs) {
    mkdirSync(path.dirname(path.join(root, o.out)), { recursive: true });
    writeFileSync(path.join(root, o.out), await render(o.svg, o.width, o.height));
    console.log(`${o.out} (${o.width} × ${o.height})`);
  }
  const icons = [];
  for (const size of faviconSizes) icons.push({ size, data: await render('mark.svg', size, size) });
  writeFileSync(path.join(root, 'public/favicon.ico'), ico(icons));
  console.log(`public/favicon.ico (${faviconSizes.join(', ')} px)`);
} finally {
  await browser.close();
}
