import os from 'node:os';
import { loadDotEnv } from '../env-file.js';
import { retryFailedRequest } from '../workflow/retry-failed-request.js';
import { openConfiguredDatabase, requestIdArgument } from './open-database.js';

loadDotEnv();

/** `npm run retry -- <request id>`: resumes a failed request from its failed step. */
async function run(): Promise<void> {
  const requestId = requestIdArgument('Usage: npm run retry -- <request id>');
  const database = await openConfiguredDatabase('npm run retry');
  try {
    await retryFailedRequest(
      database.db,
      requestId,
      process.env.OPERATOR ?? os.userInfo().username,
    );
    // The embedded database opens only while the bot is stopped: the run resumes once it starts.
    process.stdout.write(
      database.embedded
        ? `Request #${requestId} is set to run again; the bot resumes it within 15 seconds of its next start (npm start).\n`
        : `Request #${requestId} is running again; the bot resumes it within 15 seconds.\n`,
    );
  } finally {
    await database.close();
  }
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
