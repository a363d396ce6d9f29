// Draws the app icons (no network, no dependencies): public/icon.svg, and PNGs at 192 and 512 px
// (also a maskable one with a safe margin) written with node:zlib. Run: node scripts/icons.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');
const BG = [15, 23, 42];
const CP = [96, 165, 250];
const CE = [244, 114, 182];

// a plasma curve (fast rise, biexponential fall) and a slower effect-site curve, in 0..1 units
const cp = (x) => (x < 0.12 ? x / 0.12 : 0.55 * Math.exp(-(x - 0.12) * 9) + 0.45 * Math.exp(-(x - 0.12) * 1.6));
const ce = (x) => (x < 0.02 ? 0 : 0.82 * (1 - Math.exp(-(x - 0.02) * 14)) * Math.exp(-(x - 0.02) * 1.9));

function svg() {
  const pts = (f) => Array.from({ length: 61 }, (_, i) => i / 60).map((x) => `${(56 + x * 400).toFixed(1)},${(440 - f(x) * 340).toFixed(1)}`).join(' ');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" rx="96" fill="#0f172a"/><path d="M56 440H456M56 440V80" stroke="#64748b" stroke-width="10" fill="none"/><polyline points="${pts(cp)}" fill="none" stroke="#60a5fa" stroke-width="26" stroke-linejoin="round" stroke-linecap="round"/><polyline points="${pts(ce)}" fill="none" stroke="#f472b6" stroke-width="22" stroke-dasharray="40 26" stroke-linecap="round"/></svg>\n`;
}

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** An RGB PNG of size n: the dark square (full bleed when maskable), the axes and both curves. */
function png(n, maskable) {
  const px = Buffer.alloc(n * n * 3);
  const set = (x, y, c, a = 1) => {
    if (x < 0 || y < 0 || x >= n || y >= n) return;
    const i = (y * n + x) * 3;
    for (let k = 0; k < 3; k++) px[i + k] = Math.round(px[i + k] * (1 - a) + c[k] * a);
  };
  const r = maskable ? 0 : n * 0.1875;
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      // rounded corners (outside: white)
      const dx = Math.max(r - x, x - (n - 1 - r), 0);
      const dy = Math.max(r - y, y - (n - 1 - r), 0);
      set(x, y, dx * dx + dy * dy <= r * r || r === 0 ? BG : [255, 255, 255]);
    }
  const m = maskable ? 0.2 : 0.11; // maskable: the drawing inside the 80 % safe zone
  const X = (x) => n * (m + x * (1 - 2 * m));
  const Y = (v) => n * (1 - m - v * (1 - 2 * m) * 0.8);
  const dot = (cx, cy, rad, c) => {
    for (let y = Math.floor(cy - rad); y <= cy + rad; y++)
      for (let x = Math.floor(cx - rad); x <= cx + rad; x++) {
        const d = Math.hypot(x - cx, y - cy);
        if (d <= rad) set(x, y, c, Math.min(1, rad - d + 0.5));
      }
  };
  const line = (f, c, w, dash) => {
    for (let i = 0; i <= 2000; i++) {
      const x = i / 2000;
      if (dash && Math.floor(x * 14) % 2 === 1) continue;
      dot(X(x), Y(f(x)), w, c);
    }
  };
  line(() => 0, [100, 116, 139], n * 0.008);
  for (let y = Y(1.05); y <= Y(0); y++) dot(X(0), y, n * 0.008, [100, 116, 139]);
  line(cp, CP, n * 0.024);
  line(ce, CE, n * 0.02, true);
  const raw = Buffer.alloc(n * (n * 3 + 1));
  for (let y = 0; y < n; y++) px.copy(raw, y * (n * 3 + 1) + 1, y * n * 3, (y + 1) * n * 3);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(n, 0);
  ihdr.writeUInt32BE(n, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

writeFileSync(join(OUT, 'icon.svg'), svg());
for (const n of [192, 512]) writeFileSync(join(OUT, `icon-${n}.png`), png(n, false));
writeFileSync(join(OUT, 'icon-maskable-512.png'), png(512, true));
console.log('icons written to', OUT);
