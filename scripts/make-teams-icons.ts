// Draws the Teams app icons: teams-app/color.png (192x192, full colour) and
// teams-app/outline.png (32x32, white on transparent, as Teams requires). Run with
// `npx tsx scripts/make-teams-icons.ts`; the PNGs are committed, so this only runs on a redesign.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { crc32 } from './crc32.js';

type Rgba = [number, number, number, number];

const TEAMS_APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../teams-app');
const BACKGROUND: Rgba = [75, 83, 188, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const TRANSPARENT: Rgba = [0, 0, 0, 0];

/**
 * A person (head and shoulders) with an arrow leaving to the right, in unit coordinates
 * (0..1), so both sizes draw the same shape.
 */
function isGlyph(x: number, y: number): boolean {
  const head = Math.hypot(x - 0.4, y - 0.33) < 0.12;
  const shoulders = y > 0.52 && y < 0.76 && Math.hypot((x - 0.4) / 1.1, y - 0.76) < 0.22;
  const shaft = x > 0.6 && x < 0.8 && Math.abs(y - 0.64) < 0.04;
  const tip = x >= 0.76 && x < 0.9 && Math.abs(y - 0.64) < 0.9 - x;
  return head || shoulders || shaft || tip;
}

function draw(size: number, background: Rgba, foreground: Rgba): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let row = 0; row < size; row++) {
    const start = row * (size * 4 + 1);
    raw[start] = 0; // filter: none
    for (let column = 0; column < size; column++) {
      // Sample the pixel centre; four sub-samples smooth the edges of the small icon.
      let covered = 0;
      for (const [dx, dy] of [
        [0.25, 0.25],
        [0.75, 0.25],
        [0.25, 0.75],
        [0.75, 0.75],
      ] as const) {
        if (isGlyph((column + dx) / size, (row + dy) / size)) covered++;
      }
      const share = covered / 4;
      // On a transparent background only the alpha fades: the outline icon must stay pure white.
      const pixel =
        background[3] === 0
          ? [...foreground.slice(0, 3), Math.round(foreground[3] * share)]
          : background.map((channel, i) =>
              Math.round(channel * (1 - share) + (foreground[i] ?? 0) * share),
            );
      raw.set(pixel, start + 1 + column * 4);
    }
  }
  return png(size, size, raw);
}

function png(width: number, height: number, rawRgbaRows: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // colour type: RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rawRgbaRows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, checksum]);
}

writeFileSync(path.join(TEAMS_APP_DIR, 'color.png'), draw(192, BACKGROUND, WHITE));
writeFileSync(path.join(TEAMS_APP_DIR, 'outline.png'), draw(32, TRANSPARENT, WHITE));
console.log(`wrote color.png and outline.png in ${TEAMS_APP_DIR}`);
