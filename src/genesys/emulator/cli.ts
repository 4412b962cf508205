// Local trial mode: `tsx src/genesys/emulator/cli.ts --port 8089` serves the demo org until Ctrl-C.

import { parseArgs } from 'node:util';
import { DEFAULT_CLIENTS } from './access-tokens.js';
import { DEMO_ORG_USERS } from './demo-org.js';
import { startGenesysEmulator } from './server.js';

function positiveNumber(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number >= 0`);
  return value;
}

const USAGE = `Usage: tsx src/genesys/emulator/cli.ts [options]
  --port <n>              port to listen on (default 8089; 0 = any free port)
  --host <address>        address to bind (default 127.0.0.1)
  --client-id <id>        OAuth client id (default ${DEFAULT_CLIENTS[0]?.clientId})
  --client-secret <s>     OAuth client secret (default ${DEFAULT_CLIENTS[0]?.clientSecret})
  --gdpr-ms-per-stage <n> GDPR requests advance one stage every n ms (default: one per poll)
  --rate-limit <n>        requests per second per access token (default: off)
  --empty                 start without the demo org`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8089' },
      host: { type: 'string', default: '127.0.0.1' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'gdpr-ms-per-stage': { type: 'string' },
      'rate-limit': { type: 'string' },
      empty: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const client = {
    clientId: values['client-id'] ?? DEFAULT_CLIENTS[0]?.clientId ?? 'emulator-client',
    clientSecret: values['client-secret'] ?? DEFAULT_CLIENTS[0]?.clientSecret ?? 'emulator-secret',
  };
  const msPerStage = positiveNumber('gdpr-ms-per-stage', values['gdpr-ms-per-stage']);
  const requestsPerSecond = positiveNumber('rate-limit', values['rate-limit']);
  const emulator = await startGenesysEmulator({
    host: values.host,
    port: positiveNumber('port', values.port) ?? 8089,
    clients: [client],
    users: values.empty ? [] : [...DEMO_ORG_USERS],
    ...(msPerStage === undefined ? {} : { gdpr: { msPerStage } }),
    rateLimit: requestsPerSecond ? { requestsPerSecond } : null,
  });
  process.stdout.write(
    [
      `Genesys Cloud emulator listening on ${emulator.url}`,
      `  client id:     ${client.clientId}`,
      `  client secret: ${client.clientSecret}`,
      `  users:         ${values.empty ? 0 : DEMO_ORG_USERS.length}${values.empty ? '' : ' (demo org)'}`,
      `  inspect:       ${emulator.url}/__emulator/state`,
      '',
    ].join('\n'),
  );
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exit(1);
});
