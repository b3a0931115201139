#!/usr/bin/env node
// Draws WireLab's application icon (an original, generated image) and writes the PNGs electron-builder
// uses: build/icon.png (512×512; macOS and Windows icons are converted from it) and
// build/icons/{512x512,256x256}.png (Linux).
// Usage: node build/make-icon.mjs [outDir]   (default: this folder)
//
// The picture: a rounded square with a navy-to-blue gradient, three "packet list" rows (the selected
// one amber, like a highlighted row) and a white magnifying lens over them. The PNG is encoded by hand
// the same way as assets/make-default-logo.mjs (signature, IHDR, IDAT via zlib, IEND, CRC-32); that
// script writes its file when imported, so the few lines of encoder are repeated here.
import { encodePng } from '../assets/png-encode.mjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const lerp = (a, b, t) => a + (b - a) * t;
const WHITE = [255, 255, 255];

/** Colour of one point in unit coordinates (0..1), or null when transparent. */
function sample(x, y) {
  // Rounded square with a margin (icons look right with ~6% padding), corner radius 0.2.
  const m = 0.06;
  const r = 0.2;
  const cx = Math.min(Math.max(x, m + r), 1 - m - r);
  const cy = Math.min(Math.max(y, m + r), 1 - m - r);
  if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return null;

  const t = (x + y) / 2;
  let colour = [lerp(0x12, 0x1f, t), lerp(0x24, 0x6f, t), lerp(0x5c, 0xd6, t)];

  // Packet list rows: [top, length]; the second row is "selected".
  const rows = [
    [0.24, 0.62],
    [0.36, 0.52],
    [0.48, 0.4],
    [0.6, 0.3],
  ];
  rows.forEach(([top, len], i) => {
    if (x >= 0.16 && x <= 0.16 + len && y >= top && y <= top + 0.07) {
      colour = i === 1 ? [0xff, 0xb3, 0x3b] : [0xd8, 0xe8, 0xff];
    }
  });

  // The lens: a ring centred at (0.6, 0.56) and a handle towards the bottom-right corner.
  const lx = 0.6;
  const ly = 0.56;
  const d = Math.hypot(x - lx, y - ly);
  if (d < 0.16) colour = colour.map((c) => lerp(c, 255, 0.18)); // glass tint
  if (d >= 0.16 && d <= 0.21) colour = WHITE;
  // Handle: a thick segment from the ring at 45° to (0.84, 0.8).
  const ax = lx + 0.19 * Math.SQRT1_2;
  const ay = ly + 0.19 * Math.SQRT1_2;
  const bx = 0.83;
  const by = 0.79;
  const vx = bx - ax;
  const vy = by - ay;
  const u = Math.max(0, Math.min(1, ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy)));
  if (Math.hypot(x - (ax + u * vx), y - (ay + u * vy)) <= 0.045) colour = WHITE;
  return colour;
}

export function drawIcon(size, supersample = 3) {
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let j = 0; j < supersample; j++) {
        for (let i = 0; i < supersample; i++) {
          const c = sample((px + (i + 0.5) / supersample) / size, (py + (j + 0.5) / supersample) / size);
          if (!c) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          covered++;
        }
      }
      const o = (py * size + px) * 4;
      if (covered > 0) {
        rgba[o] = Math.round(r / covered);
        rgba[o + 1] = Math.round(g / covered);
        rgba[o + 2] = Math.round(b / covered);
      }
      rgba[o + 3] = Math.round((255 * covered) / (supersample * supersample));
    }
  }
  return rgba;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outDir = process.argv[2] ?? dirname(fileURLToPath(import.meta.url));
  mkdirSync(join(outDir, 'icons'), { recursive: true });
  for (const [size, files] of [
    [512, ['icon.png', 'icons/512x512.png']],
    [256, ['icons/256x256.png']],
  ]) {
    const png = encodePng(size, size, drawIcon(size));
    for (const file of files) {
      writeFileSync(join(outDir, file), png);
      console.log(`wrote ${join(outDir, file)} (${png.length} bytes, ${size}x${size})`);
    }
  }
}
