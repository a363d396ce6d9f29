// Issue 12: a QR code of a link, drawn as SVG in this page (qrcode-generator, bundled: nothing is
// fetched). One path of dark modules on a white square with the standard quiet zone, as SVG
// attributes only (the page's Content-Security-Policy has no inline styles).
import qrcode from 'qrcode-generator';

/** Most bytes a QR code holds (version 40, error correction L, byte mode). */
export const QR_MAX_BYTES = 2953;

export type Qr = { ok: true; svg: string; modules: number; version: number } | { ok: false; bytes: number };

export function qrSvg(text: string): Qr {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > QR_MAX_BYTES) return { ok: false, bytes };
  let qr;
  try {
    // the smallest version that fits; M where it fits (sturdier on a projector), else L
    qr = qrcode(0, bytes <= 2331 ? 'M' : 'L');
    qr.addData(text, 'Byte');
    qr.make();
  } catch {
    try {
      qr = qrcode(0, 'L');
      qr.addData(text, 'Byte');
      qr.make();
    } catch {
      return { ok: false, bytes };
    }
  }
  const n = qr.getModuleCount();
  const quiet = 4;
  const size = n + 2 * quiet;
  let d = '';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!qr.isDark(r, c)) continue;
      // runs of dark modules in a row as one rectangle
      let w = 1;
      while (c + w < n && qr.isDark(r, c + w)) w++;
      d += `M${c + quiet},${r + quiet}h${w}v1h-${w}z`;
      c += w - 1;
    }
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" class="qr" role="img" aria-label="QR code of the link" shape-rendering="crispEdges">` +
    `<rect width="${size}" height="${size}" fill="#ffffff"/><path d="${d}" fill="#000000"/></svg>`;
  return { ok: true, svg, modules: n, version: (n - 17) / 4 };
}
