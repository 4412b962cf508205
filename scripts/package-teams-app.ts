// Builds teams-app/offboarding-bot.zip for sideloading (Teams → Apps → Manage your apps →
// Upload an app) or for the Teams admin center: manifest.json with the bot's app id filled in,
// and the two icons, at the root of the zip as Teams requires.
//
//   MICROSOFT_APP_ID=<bot app id> npm run teams:package
//
// A zip needs nothing beyond node:zlib: local headers, deflated data, a central directory.

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { crc32 } from './crc32.js';

const TEAMS_APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../teams-app');
const OUTPUT = path.join(TEAMS_APP_DIR, 'offboarding-bot.zip');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ICONS = { 'color.png': 192, 'outline.png': 32 } as const;

function fail(message: string): never {
  console.error(`teams:package: ${message}`);
  process.exit(1);
}

function manifest(appId: string): Buffer {
  const text = readFileSync(path.join(TEAMS_APP_DIR, 'manifest.json'), 'utf8').replaceAll(
    '{{MICROSOFT_APP_ID}}',
    appId,
  );
  const parsed = JSON.parse(text) as { icons?: Record<string, string> };
  for (const icon of Object.values(parsed.icons ?? {})) {
    if (!(icon in ICONS)) fail(`manifest.json names an icon this script does not package: ${icon}`);
  }
  return Buffer.from(text, 'utf8');
}

/** Teams refuses a package whose icons have other sizes; say so here rather than at upload. */
function icon(name: keyof typeof ICONS): Buffer {
  const data = readFileSync(path.join(TEAMS_APP_DIR, name));
  const isPng = data.subarray(1, 4).toString('ascii') === 'PNG';
  const width = data.readUInt32BE(16);
  const height = data.readUInt32BE(20);
  if (!isPng || width !== ICONS[name] || height !== ICONS[name]) {
    fail(`${name} must be a ${ICONS[name]}x${ICONS[name]} PNG (run scripts/make-teams-icons.ts)`);
  }
  return data;
}

interface ZipEntry {
  name: string;
  data: Buffer;
}

function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const fileName = Buffer.from(name, 'utf8');
    const compressed = zlib.deflateRawSync(data, { level: 9 });
    const checksum = crc32(data);
    // Version 2.0, no flags, deflate, DOS time/date 00:00 1 Jan 1980 (reproducible builds).
    const common = (header: Buffer, at: number) => {
      header.writeUInt16LE(20, at);
      header.writeUInt16LE(0, at + 2);
      header.writeUInt16LE(8, at + 4);
      header.writeUInt16LE(0, at + 6);
      header.writeUInt16LE(0x21, at + 8);
      header.writeUInt32LE(checksum, at + 10);
      header.writeUInt32LE(compressed.length, at + 14);
      header.writeUInt32LE(data.length, at + 18);
      header.writeUInt16LE(fileName.length, at + 22);
      header.writeUInt16LE(0, at + 24);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    common(local, 4);
    locals.push(local, fileName, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by
    common(central, 6);
    // comment length, disk, internal and external attributes stay 0
    central.writeUInt32LE(offset, 42);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const appId = process.env.MICROSOFT_APP_ID?.trim() ?? '';
if (!GUID.test(appId)) {
  fail(
    "set MICROSOFT_APP_ID to the bot's Application (client) ID, e.g. MICROSOFT_APP_ID=<guid> npm run teams:package",
  );
}
writeFileSync(
  OUTPUT,
  zip([
    { name: 'manifest.json', data: manifest(appId) },
    { name: 'color.png', data: icon('color.png') },
    { name: 'outline.png', data: icon('outline.png') },
  ]),
);
console.log(`wrote ${path.relative(process.cwd(), OUTPUT)} for app ${appId}`);
