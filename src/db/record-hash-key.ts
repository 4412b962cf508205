import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.js';

/**
 * RECORD_HASH_KEY, or for the local trial (no chat platform, where the configuration does not
 * require it) a key made up once and kept beside the embedded data, so the hashes it wrote
 * still match after a restart.
 */
export async function resolveRecordHashKey(config: Config, logger: Logger): Promise<string> {
  if (config.privacy.recordHashKey) return config.privacy.recordHashKey;
  const file = path.join(path.dirname(path.resolve(config.embeddedDataDir)), 'record-hash-key');
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32).toString('hex');
  await fs.mkdir(path.dirname(file), { recursive: true });
  // 'wx': two trial processes starting together keep the first one's key.
  await fs.writeFile(file, `${key}\n`, { flag: 'wx', mode: 0o600 }).catch(async (error) => {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
  logger.warn(
    { file },
    'RECORD_HASH_KEY is not set: the local trial made one up and keeps it beside its embedded data',
  );
  return (await fs.readFile(file, 'utf8')).trim();
}
