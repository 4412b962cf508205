import { existsSync } from 'node:fs';

/**
 * Reads `.env` (in the working directory) into process.env when it exists, for `npm start`,
 * `npm run migrate` and the commands. A variable already set in the environment wins: Node's
 * loadEnvFile never overwrites one, so a platform's config or `FOO=1 npm start` beats the file.
 * Returns whether a file was read.
 */
export function loadDotEnv(file = '.env'): boolean {
  if (!existsSync(file)) return false;
  process.loadEnvFile(file);
  return true;
}
