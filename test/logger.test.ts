import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, type Logger, SERVICE_NAME, withoutPassword } from '../src/logger.js';
import { waitFor } from './helpers/wait.js';

function capturingLogger(level = 'info'): {
  logger: Logger;
  records: () => unknown[];
  text: () => string;
} {
  const lines: string[] = [];
  const logger = createLogger({
    level,
    destination: { write: (line: string) => lines.push(line) },
  });
  return {
    logger,
    text: () => lines.join(''),
    records: () => lines.map((line) => JSON.parse(line) as unknown),
  };
}

const SECRET = 'super-secret-value-42';

describe('createLogger', () => {
  it('writes one JSON line per record with service, level name and ISO time', () => {
    const { logger, records } = capturingLogger();
    logger.info({ requestId: 'r1' }, 'request approved');
    expect(records()).toEqual([
      {
        level: 'info',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        service: SERVICE_NAME,
        requestId: 'r1',
        msg: 'request approved',
      },
    ]);
  });

  it('honours the level', () => {
    const { logger, records } = capturingLogger('warn');
    logger.info('hidden');
    logger.warn('shown');
    expect(records()).toMatchObject([{ level: 'warn', msg: 'shown' }]);
  });

  it.each([
    ['clientSecret', { clientSecret: SECRET }],
    ['signingSecret', { slack: { signingSecret: SECRET } }],
    ['botToken', { slack: { botToken: SECRET } }],
    ['appPassword', { teams: { appPassword: SECRET } }],
    ['token', { token: SECRET }],
    ['access_token', { auth: { access_token: SECRET } }],
    ['refresh_token', { auth: { refresh_token: SECRET } }],
    ['authorization', { authorization: `Bearer ${SECRET}` }],
    ['headers.authorization', { headers: { authorization: `Bearer ${SECRET}` } }],
    ['headers.Authorization', { headers: { Authorization: `Bearer ${SECRET}` } }],
    ['req.headers.authorization', { req: { headers: { authorization: `Bearer ${SECRET}` } } }],
    ['req.headers.cookie', { req: { headers: { cookie: `session=${SECRET}` } } }],
    ['password', { user: { password: SECRET } }],
    ['nested config', { config: { genesys: { clientSecret: SECRET } } }],
    ['array items', { calls: [{ token: SECRET }] }],
  ])('never writes a secret logged under %s', (_label, fields) => {
    const { logger, text } = capturingLogger();
    logger.info(fields, 'something happened');
    expect(text()).not.toContain(SECRET);
    expect(text()).toContain('[redacted]');
  });

  it('keeps the database host readable but hides its password', () => {
    const { logger, records, text } = capturingLogger();
    logger.info({ databaseUrl: `postgres://bot:${SECRET}@db:5432/offboarding` }, 'connecting');
    expect(text()).not.toContain(SECRET);
    expect(records()[0]).toMatchObject({
      databaseUrl: 'postgres://bot:[redacted]@db:5432/offboarding',
    });
  });

  it('does not alter the object that was logged', () => {
    const { logger } = capturingLogger();
    const fields = { slack: { botToken: SECRET } };
    logger.info(fields, 'x');
    expect(fields.slack.botToken).toBe(SECRET);
  });

  it('keeps ordinary fields that merely sound similar', () => {
    const { logger, records } = capturingLogger();
    logger.info({ tokenExpiresAt: '2030-01-01', requester: 'U1' }, 'x');
    expect(records()[0]).toMatchObject({ tokenExpiresAt: '2030-01-01', requester: 'U1' });
  });
});

describe('withoutPassword', () => {
  it.each([
    ['postgres://u:p@h:5432/db?ssl=true', 'postgres://u:[redacted]@h:5432/db?ssl=true'],
    ['postgres://u@h/db', 'postgres://u@h/db'],
    ['not a url', '[redacted]'],
  ])('%s → %s', (url, expected) => {
    expect(withoutPassword(url)).toBe(expected);
  });
});

describe('createLogger for a person at a terminal', () => {
  it('writes readable lines, not JSON, and still hides secrets', async () => {
    let text = '';
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        text += String(chunk);
        callback();
      },
    });
    const logger = createLogger({ level: 'info', pretty: true, destination });
    logger.info({ token: SECRET, requestId: 'r1' }, 'Playground: http://localhost:3000/playground');
    await waitFor('the pretty line', () => text.includes('\n'));
    expect(text).toMatch(/INFO.*: Playground: http:\/\/localhost:3000\/playground/);
    expect(text).toContain('requestId: "r1"');
    expect(text).not.toContain(SECRET);
    expect(() => JSON.parse(text.split('\n')[0] ?? '')).toThrow();
  });
});
