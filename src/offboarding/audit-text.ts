import type { OffboardingRequest } from './request.table.js';

const REMOVED = '[personal data removed]';
// Loose on purpose: a false positive costs a word in an error text, a miss costs a leak into a
// log that can never be changed.
const EMAIL_LIKE = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[^\s@<>()"',;:]+/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Free text bound for the append-only audit log (Genesys's error messages, mostly) without the
 * leaver's email or name: that log is never redacted, so it must not hold them to begin with.
 * Genesys may quote the person in any case, so the match ignores case.
 */
export function withoutPersonalData(
  text: string,
  request: Pick<OffboardingRequest, 'target_email' | 'target_name'>,
): string {
  let scrubbed = text.replace(EMAIL_LIKE, REMOVED);
  for (const personal of [request.target_email, request.target_name]) {
    if (personal.trim().length < 2) continue;
    scrubbed = scrubbed.replace(new RegExp(escapeRegExp(personal), 'gi'), REMOVED);
  }
  return scrubbed;
}
