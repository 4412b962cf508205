import { createHmac } from 'node:crypto';

/**
 * The keyed hash of a leaver's email kept after their details are removed: HMAC-SHA256 under
 * RECORD_HASH_KEY of the trimmed, lower-cased address, in hex. Without the key nobody can test
 * a list of addresses against it; with it, the bot can still tell "already offboarded".
 */
export function emailHash(key: string, email: string): string {
  return createHmac('sha256', key).update(email.trim().toLowerCase(), 'utf8').digest('hex');
}
