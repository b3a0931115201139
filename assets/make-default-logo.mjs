#!/usr/bin/env node
// Draws WireLab's default profile logo (an original, generated image) and writes it as a PNG.
// Usage: node assets/make-default-logo.mjs [out.png]   (default: assets/default-logo.png)
//
// The picture: a rounded square with a blue-to-teal gradient, a white "wire" (a sine wave)
// across it and three white "packets" riding on the wave. Pure Node: the PNG is encoded by
// hand (signature, IHDR, IDAT via zlib, IEND, CRC-32). The pixels are deterministic; the
// compressed bytes may differ slightly between zlib versions.
import { encodePng } from './png-encode.mjs';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const SIZE = 128;
const SUPERSAMPLE = 4;

const lerp = (a, b, t) => a + (b - a) * t;
const wave = (x) => 64 + 18 * Math.sin(((x - 14) / 100) * 2 * Math.PI);

/** Colour of one sample point in logo coordinates (0..128), or null when transparent. */
function sample(x, y) {
  // Rounded square, corner radius 26.
  const r = 26;
  const cx = Math.min(Math.max(x, r), SIZE - r);
  const cy = Math.min(Math.max(y, r), SIZE - r);
  if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return null;

  // Background: diagonal gradient from deep blue to teal.
  const t = (x + y) / (2 * SIZE);
  let colour = [lerp(0x1e, 0x14, t), lerp(0x4f, 0xb8, t), lerp(0xc8, 0xa6, t)];

  // The wire: a thick sine wave from x=14 to x=114.
  if (x >= 14 && x <= 114) {
    let best = Infinity;
    for (let sx = x - 10; sx <= x + 10; sx += 0.5) {
      if (sx < 14 || sx > 114) continue;
      best = Math.min(best, Math.hypot(x - sx, y - wave(sx)));
    }
    if (best <= 3.2) colour = [255, 255, 255];
  }

  // Three packets riding the wire.
  for (const px of [34, 64, 94]) {
    const py = wave(px);
    if (Math.abs(x - px) <= 8 && Math.abs(y - py) <= 8) {
      const inner = Math.abs(x - px) <= 4.5 && Math.abs(y - py) <= 4.5;
      colour = inner ? [0x14, 0x8f, 0xb8] : [255, 255, 255];
    }
  }
  return colour;
}

function draw() {
  const rgba = Buffer.alloc(SIZE * SIZE * 4);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let j = 0; j < SUPERSAMPLE; j++) {
        for (let i = 0; i < SUPERSAMPLE; i++) {
          const c = sample(x + (i + 0.5) / SUPERSAMPLE, y + (j + 0.5) / SUPERSAMPLE);
          if (!c) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          covered++;
        }
      }
      const o = (y * SIZE + x) * 4;
      if (covered > 0) {
        rgba[o] = Math.round(r / covered);
        rgba[o + 1] = Math.round(g / covered);
        rgba[o + 2] = Math.round(b / covered);
      }
      rgba[o + 3] = Math.round((255 * covered) / (SUPERSAMPLE * SUPERSAMPLE));
    }
  }
  return rgba;
}

const out = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), 'default-logo.png');
const png = encodePng(SIZE, SIZE, draw());
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes, ${SIZE}x${SIZE})`);
