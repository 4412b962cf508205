import { promises as fs } from 'node:fs';
import path from 'node:path';
import { loadDotEnv } from '../env-file.js';
import { buildEvidence, buildEvidenceFiles } from '../offboarding/evidence.js';
import { openConfiguredDatabase } from './open-database.js';

loadDotEnv();

const USAGE = 'Usage: npm run evidence -- <request id> [--out DIR]';

/** `npm run evidence -- <id> [--out DIR]`: the JSON and HTML evidence of one offboarding. */
async function run(): Promise<void> {
  const args = process.argv.slice(2);
  const raw = args[0]?.replace(/^#/, '');
  const outIndex = args.indexOf('--out');
  const out = outIndex === -1 ? '.' : args[outIndex + 1];
  if (!raw || !/^\d+$/.test(raw) || out === undefined) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(64);
  }
  const requestId = Number(raw);
  const database = await openConfiguredDatabase('npm run evidence');
  try {
    const record = await buildEvidence(database.db, requestId);
    if (!record) {
      process.stderr.write(`There is no request #${requestId}.\n`);
      process.exitCode = 1;
      return;
    }
    await fs.mkdir(out, { recursive: true });
    for (const file of buildEvidenceFiles(record)) {
      const filePath = path.resolve(out, file.name);
      await fs.writeFile(filePath, file.content);
      process.stdout.write(`${filePath}\n`);
    }
  } finally {
    await database.close();
  }
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
