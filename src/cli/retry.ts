import os from 'node:os';
import { retryFailedRequest } from '../workflow/retry-failed-request.js';
import { openConfiguredDatabase, requestIdArgument } from './open-database.js';

/** `npm run retry -- <request id>`: resumes a failed request from its failed step. */
async function run(): Promise<void> {
  const requestId = requestIdArgument('Usage: npm run retry -- <request id>');
  const database = await openConfiguredDatabase();
  try {
    await retryFailedRequest(
      database.db,
      requestId,
      process.env.OPERATOR ?? os.userInfo().username,
    );
    process.stdout.write(
      `Request #${requestId} is running again; the bot resumes it within 15 seconds.\n`,
    );
  } finally {
    await database.close();
  }
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
